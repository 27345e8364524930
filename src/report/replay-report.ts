import type { Http2Connection } from '../capture/capture.js';
import type { SkippedFrame, ConnectionReplay } from '../replay/from-capture.js';
import type { ReplayResult } from '../replay/replay.js';
import { formatDuration } from '../time/duration.js';
import { toMs } from '../time/units.js';
import { formatUtcNanos } from '../time/utc.js';
import { formatInstant } from './clock-format.js';
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
  ];
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
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
    assumptions: r.assumptions,
  };
}
