import type { Actor } from '../conn/types.js';
import type { SideOutcome } from '../sim/outcome.js';
import type { RunResult } from '../sim/world.js';
import { formatDuration } from '../time/duration.js';
import { formatInstant } from './clock-format.js';
import { STEP_WHY } from './step-why.js';

/**
 * The closing section of a text timeline, in plain words: who closed the connection, when and
 * why (upstream's own error text), what each application sees, what the sockets saw, how many
 * frames of each kind went each way, and the keepalive Time of the client's next connection.
 */
export function renderVerdict(result: RunResult): string[] {
  const o = result.outcome;
  const lines: string[] = [];
  if (o.closed && o.closedBy !== undefined && o.closedAt !== undefined) {
    lines.push(row('closed', `the ${o.closedBy} closed the connection at ${formatInstant(o.closedAt)} (virtual)`));
    const other = o.closedBy === 'server' ? 'client' : 'server';
    const otherSide = o[other];
    if (otherSide.state === 'closed' && otherSide.closedAt !== undefined) {
      lines.push(row('', `the ${other}'s transport closed at ${formatInstant(otherSide.closedAt)} (${otherSide.cause ?? 'unknown'}: ${otherSide.error ?? ''})`));
    } else if (otherSide.state === 'crashed') {
      lines.push(row('', `the ${other} had crashed and never learned of it`));
    } else {
      lines.push(row('', `the ${other}'s transport was still open when the run ended at ${formatInstant(o.endedAt)}`));
    }
    lines.push(row('why', o.reason ?? '(no reason recorded)'));
    if (o.cause !== undefined) lines.push(row('', STEP_WHY[`closed:${o.cause}`]));
  } else {
    lines.push(row('open', `the connection was still open at the horizon (${formatDuration(result.scenario.horizon)}); the last event was at ${formatInstant(o.endedAt)}`));
  }
  lines.push(row('server app', o.server.appSees));
  lines.push(row('client app', o.client.appSees));
  lines.push(row('sockets', `server ${socketWords(o.server)}; client ${socketWords(o.client)}`));
  for (const actor of ['server', 'client'] as const satisfies readonly Actor[]) {
    lines.push(row(actor === 'server' ? 'frames' : '', `${actor} sent ${counts(o.framesSent[actor])}`));
    lines.push(row('', `${' '.repeat(actor.length)} read ${counts(o.framesRead[actor])}`));
  }
  if (o.nextClientKeepaliveTime !== undefined) {
    lines.push(row('next', `the client's next connection will ping every ${formatDuration(o.nextClientKeepaliveTime)}`));
  }
  return lines;
}

const LABEL_WIDTH = 12;

function row(label: string, text: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${text}`;
}

const SAW: Readonly<Record<SideOutcome['socketSaw'], string>> = {
  nothing: 'saw nothing from the peer',
  FIN: 'saw FIN (reads return EOF)',
  RST: 'saw RST ("connection reset by peer")',
};

function socketWords(side: SideOutcome): string {
  if (side.state === 'crashed') return 'crashed: its socket sent neither FIN nor RST';
  const sent = side.socketSent === undefined ? 'sent no FIN/RST of its own' : `sent ${side.socketSent}`;
  return `${sent}, ${SAW[side.socketSaw]}`;
}

function counts(c: Readonly<Record<string, number>>): string {
  const entries = Object.entries(c);
  return entries.length === 0 ? 'nothing' : entries.map(([k, n]) => `${k} ${n}`).join(', ');
}
