import type { SideOutcome } from '../sim/outcome.js';
import type { TraceRecord } from '../sim/trace.js';
import type { RunHead, RunResult } from '../sim/world.js';
import { toMs } from '../time/units.js';
import { clampWarningsJson, settingsNs } from './settings-json.js';

/**
 * A run as JSON lines, for tools: a `run` header, one `step` per trace record, and the `outcome`.
 * Times stay integer nanoseconds (`at`, `sentAt`, `arrivesAt`, `closedAt`, ...); steps add `atMs`
 * for reading. Keys come in a fixed order and "none" is `null`, so identical runs give identical
 * bytes.
 *
 *   {"kind":"run","scenario":"seed-flaw","seed":1,...}
 *   {"kind":"step","seq":0,"at":0,"atMs":0,"actor":"client","event":{...},"actions":[...],"changes":{}}
 *   {"kind":"outcome","closed":true,"closedAt":66030000000,...}
 */
export function renderJsonLines(result: RunResult): string {
  const chunks: string[] = [];
  const stream = createJsonLinesStream(result, (c) => void chunks.push(c));
  for (const r of result.trace) stream.record(r);
  stream.end(result);
  return chunks.join('');
}

/** The JSON-lines trace written as the run goes (RunOptions.onTrace); the same bytes as renderJsonLines. */
export type JsonLinesStream = {
  record(r: TraceRecord): void;
  /** The outcome line; before it, when the run was stopped early, a `stopped` line saying why. */
  end(result: RunResult, stopped?: string): void;
};

export function createJsonLinesStream(head: RunHead, write: (chunk: string) => void): JsonLinesStream {
  const line = (l: Record<string, unknown>): void => write(`${JSON.stringify(l, undefinedAsNull)}\n`);
  line(runLine(head));
  return {
    record: (r) => line(stepLine(r)),
    end(result, stopped) {
      if (stopped !== undefined) line({ kind: 'stopped', reason: stopped, at: result.outcome.endedAt });
      line(outcomeLine(result));
    },
  };
}

function runLine(result: RunHead): Record<string, unknown> {
  const sc = result.scenario;
  const settings = settingsNs(result);
  return {
    kind: 'run',
    scenario: sc.name,
    description: sc.description ?? null,
    seed: result.seed,
    horizon: sc.horizon,
    tieOrder: sc.tieOrder,
    server: settings.server,
    client: settings.client,
    warnings: clampWarningsJson(result),
    network: { clientToServer: { delay: sc.network.clientToServer.delay }, serverToClient: { delay: sc.network.serverToClient.delay } },
    faults: sc.faults,
  };
}

function stepLine(r: TraceRecord): Record<string, unknown> {
  return {
    kind: 'step',
    seq: r.seq,
    at: r.at,
    atMs: toMs(r.at),
    actor: r.actor,
    event: r.event,
    ...(r.sentAt === undefined ? {} : { sentAt: r.sentAt }),
    ...(r.arrivedAt === undefined ? {} : { arrivedAt: r.arrivedAt }),
    actions: r.actions,
    changes: r.changes,
    ...(r.state === undefined ? {} : { state: r.state }),
  };
}

function outcomeLine(result: RunResult): Record<string, unknown> {
  const o = result.outcome;
  return {
    kind: 'outcome',
    closed: o.closed,
    closedAt: o.closedAt ?? null,
    closedBy: o.closedBy ?? null,
    cause: o.cause ?? null,
    reason: o.reason ?? null,
    server: side(o.server),
    client: side(o.client),
    nextClientKeepaliveTime: o.nextClientKeepaliveTime ?? null,
    framesSent: o.framesSent,
    framesRead: o.framesRead,
    endedAt: o.endedAt,
    events: o.events,
  };
}

function side(s: SideOutcome): Record<string, unknown> {
  return {
    state: s.state,
    closedAt: s.closedAt ?? null,
    cause: s.cause ?? null,
    error: s.error ?? null,
    socketSaw: s.socketSaw,
    socketSent: s.socketSent ?? null,
    failedStreams: s.failedStreams,
    appSees: s.appSees,
  };
}

/** A field present but `undefined` (an action's `arrivesAt` for a crashed peer) is written as `null`. */
function undefinedAsNull(_key: string, value: unknown): unknown {
  return value === undefined ? null : value;
}
