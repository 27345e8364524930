import type { StateValue, TraceAction, TraceRecord } from '../sim/trace.js';
import type { RunHead, RunResult } from '../sim/world.js';
import type { Nanos } from '../time/units.js';
import { createPaint, type Paint } from './ansi.js';
import { formatDelta, formatInstant } from './clock-format.js';
import { createReadNotes } from './read-provenance.js';
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
  const chunks: string[] = [];
  const stream = createTextTimelineStream(result, (c) => void chunks.push(c), options);
  for (const r of result.trace) stream.record(r);
  stream.end(result);
  return chunks.join('');
}

/** The text timeline written as the run goes (see createTextTimelineStream). */
export type TextTimelineStream = {
  record(r: TraceRecord): void;
  /** The last lines and the verdict; `stopped` says why the run ended before its end, if it did. */
  end(result: RunResult, stopped?: string): void;
};

/**
 * The text timeline of a run written line by line as its records come (RunOptions.onTrace), so
 * a long run's timeline holds flat memory. The same records give the same text as
 * renderTextTimeline. Column widths come from the first LAYOUT_ROWS rows (the time columns also
 * from the horizon); a longer timeline keeps them, and a wider cell overflows its column.
 */
export function createTextTimelineStream(head: RunHead, write: (chunk: string) => void, options: TextTimelineOptions = {}): TextTimelineStream {
  const paint = createPaint(options.color ?? false);
  const line = (l: string): void => write(`${l.trimEnd()}\n`);
  for (const l of renderRunHeader(head)) line(l);
  line('');
  const timeline = createTimelineLines(line, options, head.scenario.horizon);
  return {
    record: (r) => timeline.record(r),
    end(result, stopped) {
      timeline.end();
      line('');
      line(paint.bold('verdict'));
      for (const l of renderVerdict(result)) line(l);
      if (stopped !== undefined) line(paint.red(`stopped before the end of the run: ${stopped}; the timeline above goes up to ${formatInstant(result.outcome.endedAt)}`));
    },
  };
}

/** Just the timeline lines of a trace, without the run header and the verdict (for `kpsim replay`). */
export function renderTimelineLines(trace: readonly TraceRecord[], options: TextTimelineOptions = {}): string[] {
  const lines: string[] = [];
  const timeline = createTimelineLines((l) => void lines.push(l), options, undefined);
  for (const r of trace) timeline.record(r);
  timeline.end();
  return lines;
}

/** Rows laid out by the first this many; beyond them a timeline streams with those widths. */
export const LAYOUT_ROWS = 4096;

/** Records in, timeline lines out: rows made, folded and laid out as the records come. */
function createTimelineLines(emit: (line: string) => void, options: TextTimelineOptions, horizon: Nanos | undefined): { record(r: TraceRecord): void; end(): void } {
  const paint = createPaint(options.color ?? false);
  const rows = createRowMaker();
  const layout = createLayout(emit, paint, horizon);
  // The run of look-alike rows being folded (see foldShape), not yet laid out.
  const group: Row[] = [];
  const flushGroup = (): void => {
    if (group.length < 3) for (const r of group) layout.row(r);
    else layout.row(foldGroup(group));
    group.length = 0;
  };
  return {
    record(r) {
      const row = rows(r);
      const first = group[0];
      if (first !== undefined && (first.shape === undefined || row.shape !== first.shape)) flushGroup();
      group.push(row);
    },
    end() {
      flushGroup();
      layout.end();
    },
  };
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

/** One record to its row, keeping what rows need from earlier records (state, notes, time). */
function createRowMaker(): (r: TraceRecord) => Row {
  const notes = createReadNotes();
  // Each actor's watched variables, rebuilt from the first snapshot and every change since.
  const current: Record<string, Record<string, StateValue>> = { server: {}, client: {} };
  let prev = 0;
  return (r) => {
    const vars = current[r.actor] ?? {};
    if (r.state !== undefined) Object.assign(vars, r.state);
    for (const [name, [, after]] of Object.entries(r.changes)) vars[name] = after;
    const isLoopStep = r.event.type === 'timerFired' && r.event.timer === 'kpTimer';
    const row: Row = {
      at: formatInstant(r.at),
      delta: formatDelta(r.at - prev),
      actor: r.actor,
      what: describeStepEvent(r, notes(r)),
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
  };
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

/** Three or more look-alike rows as one. */
function foldGroup(group: readonly Row[]): Row {
  const first = group[0] as Row;
  const last = group[group.length - 1] as Row;
  const when = last.at === first.at ? '' : `, the last at ${last.at}`;
  return { ...first, what: `${first.what.replace(/ \(sent .*$/, '')} x${group.length}${when}`, actions: first.actions === '' ? '' : `${first.actions} (each)`, count: group.length };
}

/** Columns wider than this do not widen the column for everyone; the long cell just overflows. */
const MAX_WHAT = 44;
const MAX_ACTIONS = 52;
const GAP = '  ';

type Widths = { readonly at: number; readonly delta: number; readonly what: number; readonly actions: number };

/**
 * Pads rows into columns. Rows wait until LAYOUT_ROWS of them have come (or the timeline ends),
 * their widths are measured, and from then on each row is written as it comes.
 */
function createLayout(emit: (line: string) => void, paint: Paint, horizon: Nanos | undefined): { row(r: Row): void; end(): void } {
  const waiting: Row[] = [];
  let widths: Widths | undefined;
  const fix = (bound: Nanos | undefined): Widths => {
    const w = measure(waiting, bound);
    emit(paint.dim(['time'.padStart(w.at), 'since'.padStart(w.delta), 'actor'.padEnd(ACTOR_W), 'what happened'.padEnd(w.what), 'actions'.padEnd(w.actions), 'state changes'].join(GAP)));
    for (const r of waiting) writeRow(emit, paint, w, r);
    waiting.length = 0;
    return w;
  };
  return {
    row(r) {
      if (widths !== undefined) return writeRow(emit, paint, widths, r);
      waiting.push(r);
      if (waiting.length >= LAYOUT_ROWS) widths = fix(horizon);
    },
    end() {
      widths ??= fix(undefined);
    },
  };
}

const ACTOR_W = 'server'.length;

/** Column widths for these rows; `bound` (the horizon) widens the time columns for rows to come. */
function measure(rows: readonly Row[], bound: Nanos | undefined): Widths {
  let at = 'time'.length;
  let delta = 'since'.length;
  let what = 'what happened'.length;
  let actions = 'actions'.length;
  for (const r of rows) {
    at = Math.max(at, r.at.length);
    delta = Math.max(delta, r.delta.length);
    what = Math.max(what, r.what.length);
    actions = Math.max(actions, r.actions.length);
  }
  if (bound !== undefined) {
    at = Math.max(at, formatInstant(bound).length);
    delta = Math.max(delta, formatDelta(bound).length);
  }
  return { at, delta, what: Math.min(MAX_WHAT, what), actions: Math.min(MAX_ACTIONS, actions) };
}

function writeRow(emit: (line: string) => void, paint: Paint, w: Widths, r: Row): void {
  const whyIndent = ' '.repeat(w.at + w.delta + ACTOR_W + 3 * GAP.length);
  const actor = r.actor === 'server' ? paint.cyan(r.actor.padEnd(ACTOR_W)) : paint.magenta(r.actor.padEnd(ACTOR_W));
  const actions = r.actions.padEnd(w.actions);
  const cells = [paint.dim(r.at.padStart(w.at)), paint.dim(r.delta.padStart(w.delta)), actor, r.what.padEnd(w.what), r.closes ? paint.red(actions) : actions, r.state];
  emit(cells.join(GAP));
  if (r.why !== undefined) emit(`${whyIndent}${paint.yellow(`why: ${r.why}`)}`);
  if (r.loop !== undefined && r.loop !== '') emit(`${whyIndent}${paint.dim(`now: ${r.loop}`)}`);
}
