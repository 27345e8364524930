import type { Actor, CloseCause } from '../conn/types.js';
import type { SideOutcome } from '../sim/outcome.js';
import type { RunResult } from '../sim/world.js';
import { toMs } from '../time/units.js';
import { toMsOrNull } from './clock-format.js';
import { clampWarningsJson, settingsMs, type ClampWarningJson, type ClientSettingsMs, type ServerSettingsMs } from './settings-json.js';

/** One side's outcome for `--json`: times in virtual milliseconds, `null` for "none". */
export type SideSummaryJson = {
  readonly state: SideOutcome['state'];
  readonly closedAtMs: number | null;
  readonly cause: CloseCause | null;
  readonly error: string | null;
  readonly socketSaw: SideOutcome['socketSaw'];
  readonly socketSent: 'FIN' | 'RST' | null;
  readonly failedStreams: readonly { readonly streamId: number; readonly error: string }[];
  readonly appSees: string;
};

type FrameCounts = Readonly<Record<string, number>>;

/** What `kpsim run --json` prints: the outcome of a run, without its trace. */
export type SummaryJson = {
  readonly scenario: string;
  readonly seed: number;
  readonly closed: boolean;
  readonly closedAtMs: number | null;
  readonly closedBy: Actor | null;
  readonly cause: CloseCause | null;
  readonly reason: string | null;
  readonly server: SideSummaryJson;
  readonly client: SideSummaryJson;
  readonly framesSent: Readonly<Record<Actor, FrameCounts>>;
  /** Frames each side's reader read (`outcome.framesRead`). */
  readonly framesReceived: Readonly<Record<Actor, FrameCounts>>;
  readonly nextClientKeepaliveTimeMs: number | null;
  readonly settings: { readonly server: ServerSettingsMs; readonly client: ClientSettingsMs };
  /** Keepalive Times grpc-go raised to its floors, with the warning it logs (empty: none). */
  readonly warnings: readonly ClampWarningJson[];
  readonly endedAtMs: number;
  readonly events: number;
};

/** The `--json` summary of a run, with a fixed key order (the order of `SummaryJson`). */
export function summaryJson(result: RunResult): SummaryJson {
  const o = result.outcome;
  return {
    scenario: result.scenario.name,
    seed: result.seed,
    closed: o.closed,
    closedAtMs: toMsOrNull(o.closedAt),
    closedBy: o.closedBy ?? null,
    cause: o.cause ?? null,
    reason: o.reason ?? null,
    server: sideSummary(o.server),
    client: sideSummary(o.client),
    framesSent: { server: { ...o.framesSent.server }, client: { ...o.framesSent.client } },
    framesReceived: { server: { ...o.framesRead.server }, client: { ...o.framesRead.client } },
    nextClientKeepaliveTimeMs: toMsOrNull(o.nextClientKeepaliveTime),
    settings: settingsMs(result),
    warnings: clampWarningsJson(result),
    endedAtMs: toMs(o.endedAt),
    events: o.events,
  };
}

function sideSummary(s: SideOutcome): SideSummaryJson {
  return {
    state: s.state,
    closedAtMs: toMsOrNull(s.closedAt),
    cause: s.cause ?? null,
    error: s.error ?? null,
    socketSaw: s.socketSaw,
    socketSent: s.socketSent ?? null,
    failedStreams: s.failedStreams.map((f) => ({ streamId: f.streamId, error: f.error })),
    appSees: s.appSees,
  };
}
