import { assertNever } from '../lib/assert-never.js';
import type { Fault, Scenario } from '../scenario/schema.js';
import { formatRate } from '../transport/impairments/rate-syntax.js';
import type { Actor } from '../conn/types.js';
import { GRPC_WARNING_LOG_ENV } from '../keepalive/params.js';
import { tcpKeepaliveOf } from '../sim/build-network.js';
import type { RunHead } from '../sim/world.js';
import { formatDuration } from '../time/duration.js';
import type { Nanos } from '../time/units.js';

/**
 * The header of a text timeline: which scenario ran with which seed, and the keepalive settings
 * each side actually used (after grpc-go's defaults, floors and jitter), so a reader can check
 * every timer in the lines below against them.
 */
export function renderRunHeader(result: RunHead): string[] {
  const sc = result.scenario;
  const s = result.serverConfig;
  const c = result.clientConfig;
  const lines: string[] = [];
  lines.push(row('scenario', sc.name));
  if (sc.description !== undefined && sc.description !== '') {
    for (const l of wrapWords(sc.description, WRAP_WIDTH - LABEL_WIDTH)) lines.push(row('', l));
  }
  lines.push(row('seed', `${result.seed}   horizon ${formatDuration(sc.horizon)}   ties ${sc.tieOrder}`));
  const server = [
    `Time ${formatDuration(s.time)}`,
    `Timeout ${formatDuration(s.timeout)}`,
    ...optional('MaxConnectionIdle', s.maxConnectionIdle),
    ...optional('MaxConnectionAge', s.maxConnectionAge),
    ...optional('MaxConnectionAgeGrace', s.maxConnectionAgeGrace),
    `MinTime ${formatDuration(s.minTime)}`,
    `PermitWithoutStream ${String(s.permitWithoutStream)}`,
    ...optional('TCP_USER_TIMEOUT', s.tcpUserTimeout),
    ...kernelKeepalive(sc, 'server'),
  ];
  lines.push(row('server', `grpc-go ${sc.server.version}   ${server.join(', ')}`));
  const client = [
    `Time ${c.time === undefined ? 'off' : formatDuration(c.time)}`,
    `Timeout ${formatDuration(c.timeout)}`,
    `PermitWithoutStream ${String(c.permitWithoutStream)}`,
    ...optional('TCP_USER_TIMEOUT', c.tcpUserTimeout),
    ...kernelKeepalive(sc, 'client'),
  ];
  lines.push(row('client', `grpc-go ${sc.client.version}   ${client.join(', ')}`));
  const warned = [['server', s.clamped], ['client', c.clamped]] as const;
  let first = true;
  for (const [side, w] of warned) {
    if (w === undefined) continue;
    const asked = w.requested === undefined ? 'Time not set' : `Time ${formatDuration(w.requested)}`;
    const text = `${side}: ${asked}, raised to ${formatDuration(w.applied)} (${w.source}); grpc-go logs WARNING "${w.log}", printed only with ${GRPC_WARNING_LOG_ENV}`;
    for (const [i, l] of wrapWords(text, WRAP_WIDTH - LABEL_WIDTH).entries()) lines.push(row(first && i === 0 ? 'warnings' : '', l));
    first = false;
  }
  lines.push(row('network', `${sc.network.model}   client->server ${describeLink(sc.network.clientToServer)}; server->client ${describeLink(sc.network.serverToClient)}`));
  if (sc.network.nat !== undefined) {
    lines.push(row('', `a middlebox forgets the flow after ${formatDuration(sc.network.nat.idleTimeout)} idle, then ${sc.network.nat.action === 'reset' ? 'answers with RST' : 'drops its packets'}`));
  }
  sc.faults.forEach((f, i) => lines.push(row(i === 0 ? 'faults' : '', `#${i + 1} ${describeFault(f)}`)));
  return lines;
}

/** One fault in words, numbered like the notes in the trace (`fault #1: ...`). */
export function describeFault(f: Fault): string {
  switch (f.type) {
    case 'delayFrame':
      return `${f.ping === undefined ? '' : `${f.ping} `}${f.frame} #${f.nth} ${f.direction} held ${formatDuration(f.by)}`;
    case 'blackhole':
      return `${f.direction} loses every frame from ${formatDuration(f.from)} until ${formatDuration(f.until)}`;
    case 'crash':
      return `${f.peer} crashes at ${formatDuration(f.at)}`;
    case 'readerStall':
      return `${f.peer} reader stalls from ${formatDuration(f.from)} until ${formatDuration(f.until)}`;
    case 'loseFrame':
      return `${f.ping === undefined ? '' : `${f.ping} `}${f.frame} #${f.nth} ${f.direction}: its segment is lost ${f.times} time(s)`;
    case 'partition':
      return `partition (${f.direction}) from ${formatDuration(f.from)} until ${formatDuration(f.until)}`;
    case 'flap':
      return `link (${f.direction}) down ${formatDuration(f.down)} every ${formatDuration(f.every)} from ${formatDuration(f.from)}${f.until === undefined ? '' : ` until ${formatDuration(f.until)}`}`;
    case 'pause':
      return `${f.peer} process paused (stop-the-world) from ${formatDuration(f.from)} until ${formatDuration(f.until)}`;
    default:
      return assertNever(f);
  }
}

function describeLink(l: Scenario['network']['clientToServer']): string {
  const parts = [formatDuration(l.delay.base)];
  if (l.delay.jitter > 0) parts.push(`±${formatDuration(l.delay.jitter)} ${l.delay.distribution}`);
  if (l.loss.kind === 'bernoulli') parts.push(`loss ${(l.loss.p * 100).toPrecision(3)}%`);
  if (l.loss.kind === 'gilbert-elliott') parts.push(`loss gemodel p=${l.loss.p} r=${l.loss.r} 1-h=${l.loss.oneMinusH} 1-k=${l.loss.oneMinusK}`);
  if (l.rate !== undefined) parts.push(`${formatRate(l.rate)}`);
  return parts.join(' ');
}

const LABEL_WIDTH = 10;
const WRAP_WIDTH = 100;

function row(label: string, text: string): string {
  return `${label.padEnd(LABEL_WIDTH)}${text}`;
}

/** The kernel TCP keepalive on that side's socket (TCP network only): it can close connections too. */
function kernelKeepalive(sc: Scenario, side: Actor): string[] {
  if (sc.network.model !== 'tcp') return [];
  const k = tcpKeepaliveOf(sc, side);
  return [k === undefined ? 'TCP keepalive off' : `TCP keepalive idle ${formatDuration(k.idle)} interval ${formatDuration(k.interval)} probes ${k.count}`];
}

function optional(name: string, v: Nanos | undefined): string[] {
  return v === undefined ? [] : [`${name} ${formatDuration(v)}`];
}

/**
 * Greedy word wrap; a word longer than `width` gets a line of its own. A number and the time unit
 * after it (`120 s`, `6 s)`) stay on one line.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of glueUnits(text.split(/\s+/).filter((w) => w !== ''))) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

const UNIT = /^(ns|us|µs|ms|s|m|h|min)\b/;

function glueUnits(words: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of words) {
    const last = out[out.length - 1];
    if (last !== undefined && /\d$/.test(last) && UNIT.test(w)) out[out.length - 1] = `${last} ${w}`;
    else out.push(w);
  }
  return out;
}
