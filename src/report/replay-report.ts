import type { Http2Connection } from '../capture/capture.js';
import type { SkippedFrame, ConnectionReplay } from '../replay/from-capture.js';
import { MATCH_WINDOW, type KernelReplay } from '../replay/kernel-replay.js';
import type { ReplayResult } from '../replay/replay.js';
import { formatDuration } from '../time/duration.js';
import { toMs } from '../time/units.js';
import { formatUtcNanos } from '../time/utc.js';
import { formatInstant } from './clock-format.js';
import { safeText } from './safe-text.js';
import { CONTROL_CHARS_JSON_KEEPS } from '../lib/control-chars.js';
import { settingsMs } from './settings-json.js';
import { renderTimelineLines } from './text-timeline.js';

/** Where the replay came from: the file, the connection picked and the others it could have been. */
export type ReplaySource = {
  readonly file: string;
  readonly connection: Http2Connection;
  readonly connections: number;
  readonly conversion: ConnectionReplay;
  /** The capture's clock at the connection's first packet (time 0 of the replay), ns since the Unix epoch. */
  readonly startEpochNanos: bigint;
};

/** A replay time on the capture's own clock, as ISO 8601 UTC with nanoseconds. */
export function captureClock(src: ReplaySource, at: number): string {
  return formatUtcNanos(src.startEpochNanos + BigInt(at));
}

const endpoint = (e: { readonly address: string; readonly port: number }): string => (e.address.includes(':') ? `[${e.address}]:${e.port}` : `${e.address}:${e.port}`);

/** `kpsim replay` as text: the capture, the modelled side's timeline, and the verdict beside what the capture shows. */
export function renderReplayText(r: ReplayResult, src: ReplaySource): string {
  const c = src.connection;
  const conv = src.conversion;
  const s = settingsMs(r.run)[r.side];
  const lines: string[] = [
    `replay  ${src.file}: connection ${c.id} of ${src.connections}, client ${endpoint(c.client)} -> server ${endpoint(c.server)}`,
    `        ${conv.input.frames.length} frames read into the model, ${formatDuration(conv.input.end)} of capture; round trip measured ${conv.input.rtt === undefined ? 'none' : formatDuration(conv.input.rtt)}`,
    `model   grpc-go ${r.run.scenario[r.side].version} ${r.side}: ${JSON.stringify(s)}`,
    ...tcpNotes(c),
    ...skippedNotes(conv.skipped),
    ...conv.stopped.map((x) => `stopped ${x.from} direction at ${formatInstant(x.at)}: ${x.reason}`),
    `clock   time 0 is the connection's first packet, ${captureClock(src, 0)} on the capture's clock`,
    ...r.assumptions.map((a, i) => `${i === 0 ? 'assumes' : '       '} ${a}`),
    '',
    ...renderTimelineLines(r.run.trace.filter((t) => t.actor === r.side)),
    '',
    'verdict',
    ...verdictLines(r, src),
    ...captureWarnings(src).map((w, i) => `${i === 0 ? 'warning' : '       '} ${w.text}`),
    '',
    ...kernelLines(r),
  ];
  // Strings from the capture (GOAWAY debug data in the verdict and the timeline, HPACK and frame
  // error details, the file name) are untrusted: no line may carry a raw control character. kpsim's
  // own text has none (the replay timeline is not coloured), so escaping whole lines changes only those strings.
  return `${lines.map((l) => safeText(l).trimEnd()).join('\n')}\n`;
}

type CaptureWarning = { readonly text: string; readonly json: Record<string, unknown> };

/** What in the capture the replay could not take as recorded, and what it did instead. */
function captureWarnings(src: ReplaySource): CaptureWarning[] {
  const b = src.connection.backwardTimestamps;
  if (b === undefined) return [];
  const handling = "kpsim kept the file's order and took each at the latest time before it, so the replay's time never runs backwards";
  const one = b.packets === 1;
  return [
    {
      text: `${b.packets} packet${one ? '' : 's'} of this connection ${one ? 'is' : 'are'} stamped earlier than a packet before ${one ? 'it' : 'them'} in the file (the first: frame ${b.first.packet + 1}, ${formatDuration(b.first.by)} earlier${one || b.largest === b.first.by ? '' : `; at most ${formatDuration(b.largest)}`}): ${handling}`,
      json: {
        kind: 'backward-timestamps',
        packets: b.packets,
        firstFrame: b.first.packet + 1,
        firstEarlierByMs: toMs(b.first.by),
        largestEarlierByMs: toMs(b.largest),
        handling,
      },
    },
  ];
}

function tcpNotes(c: Http2Connection): string[] {
  const out: string[] = [];
  for (const side of ['client', 'server'] as const) {
    const d = c.directions[side];
    const k = d.counts;
    if (k.retransmissions + k.outOfOrder + k.gaps === 0) continue;
    out.push(`tcp     ${side} -> ${side === 'client' ? 'server' : 'client'}: ${k.retransmissions} retransmitted, ${k.outOfOrder} out of order, ${k.gaps} gaps${d.gap === undefined ? '' : ` (bytes ${d.gap.start}..${d.gap.end} ${d.gap.cause}: that direction is cut there)`}`);
  }
  return out;
}

function skippedNotes(skipped: readonly SkippedFrame[]): string[] {
  if (skipped.length === 0) return [];
  const byReason = new Map<string, number>();
  for (const s of skipped) byReason.set(`${s.type}: ${s.reason}`, (byReason.get(`${s.type}: ${s.reason}`) ?? 0) + 1);
  return [...byReason].map(([why, n]) => `skipped ${n} x ${why}`);
}

function verdictLines(r: ReplayResult, src: ReplaySource): string[] {
  const v = r.verdict;
  const cap = r.captured;
  const lines =
    v.closed
      ? [`model   the ${r.side} would have closed the connection at ${formatInstant(v.at)} (${captureClock(src, v.at)}): ${v.reason}`]
      : [`model   the ${r.side} would not have closed it: ${v.why}`];
  lines.push(
    cap.modelledSideClosed === undefined
      ? `capture the real ${r.side} sent no GOAWAY, FIN or RST`
      : `capture the real ${r.side} sent ${cap.modelledSideClosed.how} at ${formatInstant(cap.modelledSideClosed.at)}`,
  );
  if (cap.peerClosed !== undefined) lines.push(`        the real ${r.side === 'server' ? 'client' : 'server'} sent ${cap.peerClosed.how} at ${formatInstant(cap.peerClosed.at)}`);
  lines.push(`        the capture ends at ${formatInstant(cap.end)}`);
  return lines;
}

const ABORT_WORDS: Readonly<Record<NonNullable<KernelReplay['abort']>['why'], string>> = {
  'user-timeout': 'TCP_USER_TIMEOUT',
  retransmissions: 'tcp_retries2',
  'tcp-keepalive': 'TCP keepalive (probes unanswered)',
};

/** What the side's kernel would have done with the capture's retransmissions. */
function kernelLines(r: ReplayResult): string[] {
  const k = r.kernel;
  if ('notModelled' in k) return [`kernel  not modelled: ${k.notModelled}`];
  if (k.unusable !== undefined) return [`kernel  not modelled: ${k.unusable}`];
  const who = `the ${r.side}`;
  const version = r.run.scenario[r.side].version;
  const lines = [
    `kernel  Linux ${k.kernelName} model of ${who}'s socket, fed the capture (its writes as they left, the peer's segments as they arrived)`,
    `        retransmissions: ${k.captured.length} in the capture, ${k.model.length} by the model, ${k.matched} of the captured within ${formatDuration(MATCH_WINDOW)} of the model's${k.grid.fitted ? ' (its tick grid read from the capture\'s retransmissions)' : ''}`,
  ];
  const ut = k.userTimeout === undefined ? `no TCP_USER_TIMEOUT (grpc-go ${version} sets none on the ${r.side})` : `TCP_USER_TIMEOUT ${formatDuration(k.userTimeout)} (grpc-go ${version} sets it to the ${r.side}'s keepalive Timeout)`;
  if (k.abort !== undefined) {
    const since = k.abort.why === 'user-timeout' && k.abortEpisodeStart !== undefined ? `, ${formatDuration(k.abort.at - k.abortEpisodeStart)} after its first RTO retransmission at ${formatInstant(k.abortEpisodeStart)}` : '';
    const after = k.abort.afterCapture ? ', after the capture ends, had nothing more arrived' : '';
    const whose = k.abort.orphan ? `the ${r.side}'s socket, closed by then,` : 'the socket';
    lines.push(`        ${ut}: the kernel gives up on ${whose} at ${formatInstant(k.abort.at)} (${ABORT_WORDS[k.abort.why]}, ETIMEDOUT)${since}${after}`);
    const v = r.verdict;
    if (v.closed && k.abort.at < v.at) lines.push(`        that is before grpc-go's own close at ${formatInstant(v.at)}: the application sees "connection timed out" first`);
    else if (!v.closed && !k.abort.afterCapture && !k.abort.orphan) lines.push(`        so the connection dies anyway: grpc-go's reader gets "connection timed out" at ${formatInstant(k.abort.at)}`);
  } else {
    lines.push(`        ${ut}: the kernel does not give up; the longest it waited for an ACK after an RTO retransmission was ${formatDuration(k.longestStall)}`);
  }
  return lines;
}

function kernelJson(k: ReplayResult['kernel']): Record<string, unknown> {
  if ('notModelled' in k) return { modelled: false, why: k.notModelled };
  if (k.unusable !== undefined) return { modelled: false, why: k.unusable };
  return {
    modelled: true,
    linux: k.kernelName,
    userTimeoutMs: k.userTimeout === undefined ? null : toMs(k.userTimeout),
    retransmissions: { captured: k.captured.length, model: k.model.length, matched: k.matched, matchWindowMs: toMs(MATCH_WINDOW) },
    abort: k.abort === undefined ? null : { atMs: toMs(k.abort.at), why: k.abort.why, afterCapture: k.abort.afterCapture, orphan: k.abort.orphan, firstRtoRetransmissionMs: k.abortEpisodeStart === undefined ? null : toMs(k.abortEpisodeStart) },
    longestStallMs: toMs(k.longestStall),
    tickGrid: { jiffiesAtStart: k.grid.jiffiesAtStart, phaseNs: k.grid.phaseNs, fittedToCapture: k.grid.fitted },
  };
}

/** `kpsim replay --json`: the verdict in `run --json`'s terms, with what the capture shows. */
export function replayJson(r: ReplayResult, src: ReplaySource): Record<string, unknown> {
  const v = r.verdict;
  const c = src.connection;
  const cap = r.captured;
  return {
    capture: src.file,
    connection: c.id,
    connections: src.connections,
    client: endpoint(c.client),
    server: endpoint(c.server),
    side: r.side,
    closed: v.closed,
    closedAtMs: v.closed ? toMs(v.at) : null,
    closedAtUtc: v.closed ? captureClock(src, v.at) : null,
    startedAtUtc: captureClock(src, 0),
    closedBy: v.closed ? r.side : null,
    cause: v.closed ? v.cause : null,
    reason: v.closed ? v.reason : v.why,
    captured: {
      closedBy: cap.modelledSideClosed === undefined ? null : { side: r.side, how: cap.modelledSideClosed.how, atMs: toMs(cap.modelledSideClosed.at) },
      peerClosed: cap.peerClosed === undefined ? null : { how: cap.peerClosed.how, atMs: toMs(cap.peerClosed.at) },
      endMs: toMs(cap.end),
      roundTripMs: src.conversion.input.rtt === undefined ? null : toMs(src.conversion.input.rtt),
      frames: src.conversion.input.frames.length,
      skipped: src.conversion.skipped.length,
      stopped: src.conversion.stopped,
    },
    settings: settingsMs(r.run)[r.side],
    kernel: kernelJson(r.kernel),
    assumptions: r.assumptions,
    warnings: captureWarnings(src).map((w) => w.json),
  };
}

/**
 * `kpsim replay --json` as text: `replayJson`, indented, with the control characters JSON.stringify writes raw (CONTROL_CHARS_JSON_KEEPS: only
 * ever inside strings: in a GOAWAY's debug data, say) written as \uXXXX escapes, so the output is
 * safe on a terminal and every JSON reader still gets the same values.
 */
export function renderReplayJson(r: ReplayResult, src: ReplaySource): string {
  return `${JSON.stringify(replayJson(r, src), null, 2).replace(CONTROL_CHARS_JSON_KEEPS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
