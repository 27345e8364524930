/** kpsim's library API: load a scenario, run it, render the result. */
export { parseScenario, parseScenarioText, applyOverrides } from './scenario/load.js';
export { ScenarioError } from './scenario/errors.js';
export { BUILTIN_SCENARIOS, builtinNames } from './scenario/builtins.js';
export type { Scenario, ScenarioInput } from './scenario/schema.js';
export { runScenario, EventBudgetError, type RunOptions, type RunResult } from './sim/world.js';
export type { Outcome, SideOutcome } from './sim/outcome.js';
export type { TraceRecord, TraceAction, WorldEvent } from './sim/trace.js';
export { renderTextTimeline } from './report/text-timeline.js';
export { renderJsonLines } from './report/jsonl.js';
export { summaryJson } from './report/summary-json.js';
export { parseDuration, formatDuration } from './time/duration.js';
export { parseGrpcGoVersion, featuresOf } from './keepalive/versions.js';
