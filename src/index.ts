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

// Per-setting figures (issue 5): false kills per connection-day, detection latency, cost.
export { evaluateCell, falseKills, monteCarloFalseKills, detectionLatency, keepaliveCost, poissonInterval } from './analysis/rates/index.js';
export type { CellFigures, KeepaliveSetting } from './analysis/rates/index.js';
// Sweeps and advice.
export { runCells, type RunCellsOptions } from './sweep/pool.js';
export { gridSettings, type Grid } from './sweep/grid.js';
export { parseAxis } from './sweep/grid-spec.js';
export { paretoFront } from './sweep/pareto.js';
export { makeSweepResult, type SweepResult } from './sweep/sweep-result.js';
export { advise, type Advice, type AdviseConstraints } from './sweep/advise.js';
export { PRODUCTION_EVALUATOR } from './sweep/production-evaluator.js';
// The wire: RFC 9113 frames, HPACK, and simulator frames as octets.
export { encodeFrame, decodeFrame, decodeFrames, FrameError } from './wire/frame-codec.js';
export { createWireWriter, createWireReader, HpackError, wireOptionsFromScenario } from './wire/grpc-wire.js';
// Captures: read pcap/pcapng, write a run as pcap, replay a captured connection.
export { analyzeCapture, readCapture, CaptureError, writePcap, type Http2Connection } from './capture/capture.js';
export { renderPcap, type PcapExportOptions } from './report/pcap-export.js';
export type { PacketRecord } from './sim/packet-record.js';
export { replayInputFromConnection } from './replay/from-capture.js';
export { replayCapture, type ReplayOptions, type ReplayResult } from './replay/replay.js';
