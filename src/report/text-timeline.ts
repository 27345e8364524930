import type { StateValue, TraceAction, TraceRecord } from '../sim/trace.js';
import type { RunResult } from '../sim/world.js';
import { createPaint, type Paint } from './ansi.js';
import { formatDelta, formatInstant } from './clock-format.js';
import { readNotesBySeq } from './read-provenance.js';
import { renderRunHeader } from './run-header.js';
import { formatChanges, formatState } from './state-values.js';
import { describeAction, describeStepEvent } from './step-text.js';
import { stepWhy } from './step-why.js';
import { renderVerdict } from './verdict.js';

export type TextTimelineOptions = {
  /** Colour the output with ANSI escapes (for a terminal). @default false */
  readonly color?: boolean;
};

/**
 * A run as a timeline for people: a header with the effective settings, one line per trace
 * record (virtual time, time since the previous line, actor, what happened, what it did, which
 * state variables changed, under upstream's names), a short "why" under the lines that need one,
 * and a verdict in plain words. Pure and deterministic: the same result gives the same string.
 */
export function renderTextTimeline(result: RunResult, options: TextTimelineOptions = {}): string {
  const paint = createPaint(options.color ?? false);
  const lines: string[] = [...renderRunHeader(result), ''];
  lines.push(...renderTimelineLines(result.trace, options));
  lines.push('', paint.bold('verdict'), ...renderVerdict(result));
  return `${lines.map((l) => l.trimEnd()).join('\n')}\n`;
}

/** Just the timeline lines of a trace, without the run header and the verdict (for `kpsim replay`). */
export function renderTimelineLines(trace: readonly TraceRecord[], options: TextTimelineOptions = {}): string[] {
  return layoutRows(foldRuns(timelineRows(trace)), createPaint(options.color ?? false));
}

/** The cells of one timeline line, before padding. */
type Row = {
  readonly at: string;
  readonly delta: string;
  readonly actor: TraceRecord['actor'];
  readonly what: string;
  readonly actions: string;
  readonly state: string;
  readonly why: string | undefined;
  /** For keepalive timer fires: the loop's variables after the step, changed or not. */
  readonly loop: string | undefined;
  readonly closes: boolean;
  /** Consecutive look-alike records folded into this row (1: just itself). */
  readonly count: number;
  /** What makes records look alike (actor, event without provenance, actions), for folding. */
  readonly shape: string | undefined;
};

/** The keepalive loop's variables, shown in full on every keepalive timer line. */
const LOOP_VARS = ['outstandingPing', 'kpTimeoutLeft', 'timeoutLeft', 'lastRead', 'prevNano', 'activity', 'pingSent', 'kpDormant'] as const;

function timelineRows(trace: readonly TraceRecord[]): Row[] {
  const notes = readNotesBySeq(trace);
  // Each actor's watched variables, rebuilt from the first snapshot and every change since.
  const current: Record<string, Record<string, StateValue>> = { server: {}, client: {} };
  let prev = 0;
  return trace.map((r) => {
    const vars = current[r.actor] ?? {};
    if (r.state !== undefined) Object.assign(vars, r.state);
    for (const [name, [, after]] of Object.entries(r.changes)) vars[name] = after;
    const isLoopStep = r.event.type === 'timerFired' && r.event.timer === 'kpTimer';
    const row: Row = {
      at: formatInstant(r.at),
      delta: formatDelta(r.at - prev),
      actor: r.actor,
      what: describeStepEvent(r, notes.get(r.seq)),
      actions: describeActions(r.actions),
      state: [formatChanges(r.changes), r.state === undefined ? '' : `state: ${formatState(r.state)}`].filter((s) => s !== '').join('  '),
      why: stepWhy(r),
      loop: isLoopStep ? formatState(Object.fromEntries(LOOP_VARS.filter((v) => v in vars).map((v) => [v, vars[v] ?? null]))) : undefined,
      closes: r.actions.some((a) => a.type === 'close'),
      count: 1,
      shape: foldShape(r),
    };
    prev = r.at;
    return row;
  });
}

/**
 * A bulk transfer reads hundreds of DATA frames that say nothing new one by one. Records that are
 * frame reads of the same kind on the same stream, with the same actions and no change but
 * `lastRead`, are folded into one row that says how many and until when.
 */
function foldShape(r: TraceRecord): string | undefined {
  // The same network note repeated at one instant (a closed socket answering a burst of segments).
  if (r.event.type === 'network') return `${r.actor} network ${r.at} ${r.event.text}`;
  if (r.event.type !== 'frameRead' || r.event.frame.type !== 'DATA') return undefined;
  if (Object.keys(r.changes).some((k) => k !== 'lastRead')) return undefined;
  if (r.actions.some((a) => a.type !== 'sendFrame' || a.frame.type !== 'WINDOW_UPDATE')) return undefined;
  const f = r.event.frame;
  return `${r.actor} DATA s=${f.streamId} ${f.length} ${r.actions.length}`;
}

/** The actions of one step; a message cut into many DATA frames is one phrase, not hundreds. */
function describeActions(actions: readonly TraceAction[]): string {
  const parts: string[] = [];
  for (let i = 0; i < actions.length; ) {
    const a = actions[i] as TraceAction;
    let j = i + 1;
    if (a.type === 'sendFrame' && a.frame.type === 'DATA') {
      const stream = a.frame.streamId;
      while (j < actions.length) {
        const b = actions[j] as TraceAction;
        if (b.type !== 'sendFrame' || b.frame.type !== 'DATA' || b.frame.streamId !== stream) break;
        j++;
      }
    }
    if (j - i < 3) {
      for (let k = i; k < j; k++) parts.push(describeAction(actions[k] as TraceAction));
    } else {
      const run = actions.slice(i, j) as Extract<TraceAction, { type: 'sendFrame' }>[];
      const bytes = run.reduce((n, x) => n + (x.frame.type === 'DATA' ? x.frame.length : 0), 0);
      const last = run[run.length - 1];
      const arrives = last?.arrivesAt === undefined ? '' : `, the last arrives ${formatInstant(last.arrivesAt)}`;
      parts.push(`-> send ${run.length} DATA frames s=${a.type === 'sendFrame' && a.frame.type === 'DATA' ? a.frame.streamId : ''} (${bytes} B)${arrives}`);
    }
    i = j;
  }
  return parts.join('; ');
}

function foldRuns(rows: readonly Row[]): Row[] {
  const out: Row[] = [];
  let i = 0;
  while (i < rows.length) {
    const first = rows[i] as Row;
    let j = i + 1;
    if (first.shape !== undefined) while (j < rows.length && rows[j]?.shape === first.shape) j++;
    const n = j - i;
    if (n < 3) {
      out.push(...rows.slice(i, j));
    } else {
      const last = rows[j - 1] as Row;
      const when = last.at === first.at ? '' : `, the last at ${last.at}`;
      out.push({ ...first, what: `${first.what.replace(/ \(sent .*$/, '')} x${n}${when}`, actions: first.actions === '' ? '' : `${first.actions} (each)`, count: n });
    }
    i = j;
  }
  return out;
}

/** Columns wider than this do not widen the column for everyone; the long cell just overflows. */
const MAX_WHAT = 44;
const MAX_ACTIONS = 52;
const GAP = '  ';

function layoutRows(rows: readonly Row[], paint: Paint): string[] {
  const atW = Math.max('time'.length, ...rows.map((r) => r.at.length));
  const deltaW = Math.max('since'.length, ...rows.map((r) => r.delta.length));
  const actorW = 'server'.length;
  const whatW = Math.min(MAX_WHAT, Math.max('what happened'.length, ...rows.map((r) => r.what.length)));
  const actionsW = Math.min(MAX_ACTIONS, Math.max('actions'.length, ...rows.map((r) => r.actions.length)));
  const head = ['time'.padStart(atW), 'since'.padStart(deltaW), 'actor'.padEnd(actorW), 'what happened'.padEnd(whatW), 'actions'.padEnd(actionsW), 'state changes'];
  const out = [paint.dim(head.join(GAP))];
  const whyIndent = ' '.repeat(atW + deltaW + actorW + 3 * GAP.length);
  for (const r of rows) {
    const actor = r.actor === 'server' ? paint.cyan(r.actor.padEnd(actorW)) : paint.magenta(r.actor.padEnd(actorW));
    const actions = r.actions.padEnd(actionsW);
    const cells = [
      paint.dim(r.at.padStart(atW)),
      paint.dim(r.delta.padStart(deltaW)),
      actor,
      r.what.padEnd(whatW),
      r.closes ? paint.red(actions) : actions,
      r.state,
    ];
    out.push(cells.join(GAP));
    if (r.why !== undefined) out.push(`${whyIndent}${paint.yellow(`why: ${r.why}`)}`);
    if (r.loop !== undefined && r.loop !== '') out.push(`${whyIndent}${paint.dim(`now: ${r.loop}`)}`);
  }
  return out;
}
