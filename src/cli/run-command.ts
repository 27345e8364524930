import { Option, type Command } from 'commander';
import { renderPcap } from '../report/pcap-export.js';
import { createJsonLinesStream } from '../report/jsonl.js';
import { summaryJson } from '../report/summary-json.js';
import { createTextTimelineStream } from '../report/text-timeline.js';
import { applyOverrides, parseScenario } from '../scenario/load.js';
import type { PacketRecord } from '../sim/packet-record.js';
import type { TraceRecord } from '../sim/trace.js';
import { startRun } from '../sim/world.js';
import { advanceRun, BudgetStop, budgetsFromFlags, checkWorkEstimate, parseMaxEvents, parseMaxMemory, type Stop } from './budgets.js';
import { loadRawScenario, scenarioFileOf, writeOut } from './cli-files.js';
import { InterruptedError, withInterrupts } from './interrupts.js';
import { checkDistinctPaths, openOutput } from './output.js';
import { collectSet, parseSeedFlag, TRACE_FORMATS, type RunFlags } from './run-flags.js';
import { runOutputFormat } from './run-output.js';
import { UsageError } from './usage-error.js';

/**
 *   kpsim run <builtin|file.json> [--seed N] [--set path=value]... [--json | --trace text|jsonl]
 *             [--out FILE] [--pcap FILE] [--max-events N] [--max-memory SIZE]
 * The run advances in slices: between them the budgets and signals are checked, and a trace is
 * written as it is produced.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('run a scenario and explain what happened')
    .argument('<scenario>', 'a built-in scenario name (see "kpsim list") or a scenario JSON file')
    .option('--seed <n>', 'seed for every random choice (overrides the scenario\'s seed)', parseSeedFlag)
    .option('--set <path=value>', 'override a scenario field before validation, e.g. server.keepalive.timeout=90s (repeatable)', collectSet, [])
    .addOption(new Option('--json', 'print the outcome as JSON').conflicts('trace'))
    .addOption(new Option('--trace <format>', 'print the trace as a text timeline or JSON lines').choices(TRACE_FORMATS))
    .option('--out <file>', 'write the output to FILE instead of stdout')
    .option('--no-clamp', 'do not raise keepalive Time to grpc-go\'s public-API floors (1s server, 10s client)')
    .option('--color', 'colour the text timeline with ANSI escapes')
    .option('--pcap <file>', 'also write the connection as a libpcap file for Wireshark/tshark (TCP network only)')
    .addOption(new Option('--pcap-at <side>', 'whose host the capture is taken on').choices(['server', 'client']).default('server'))
    .option('--trace-bytes', 'with --trace jsonl: add each sent frame\'s octets (hex)')
    .option('--max-events <n>', 'stop the run after this many events (default 50000000)', parseMaxEvents)
    .option('--max-memory <size>', 'stop the run when kpsim holds this much memory, e.g. 512MiB (default 768MiB)', parseMaxMemory)
    .action((scenarioArg: string, flags: RunFlags) => withInterrupts((interrupts) => runAction(scenarioArg, flags, interrupts)));
}

async function runAction(scenarioArg: string, flags: RunFlags, interrupts: Parameters<typeof advanceRun>[2]): Promise<void> {
  const { raw, source } = loadRawScenario(scenarioArg);
  const scenario = parseScenario(applyOverrides(raw, flags.set), source);
  const format = runOutputFormat(flags);
  const wantPackets = flags.pcap !== undefined || flags.traceBytes === true;
  if (wantPackets && scenario.network.model !== 'tcp') throw new UsageError(`--pcap and --trace-bytes need the TCP network; ${source} uses network.model "${scenario.network.model}"`);
  if (flags.traceBytes === true && format !== 'jsonl') throw new UsageError('--trace-bytes goes with --trace jsonl');
  checkDistinctPaths([['--out', flags.out], ['--pcap', flags.pcap]], [['the scenario file', scenarioFileOf(scenarioArg)]]);
  const budgets = budgetsFromFlags(flags);
  checkWorkEstimate(scenario, source, budgets);

  const out = openOutput(flags.out);
  const write = (chunk: string): void => out.write(chunk);
  // An observer makes the network carry each frame's octets (for the trace); only --pcap keeps the packets.
  const packets: PacketRecord[] = [];
  const onPacket = flags.pcap !== undefined ? (p: PacketRecord) => void packets.push(p) : () => undefined;
  let onTrace: ((r: TraceRecord) => void) | undefined;
  const run = startRun(scenario, {
    seed: flags.seed,
    clamp: flags.clamp,
    trace: format !== 'summary-json',
    // The budget is kept here, between slices, so that a run crossing it still says what it did.
    maxEvents: Number.POSITIVE_INFINITY,
    onTrace: (r) => onTrace?.(r),
    ...(wantPackets ? { onPacket } : {}),
  });
  const stream = format === 'text' ? createTextTimelineStream(run.head, write, { color: flags.color === true }) : format === 'jsonl' ? createJsonLinesStream(run.head, write) : undefined;
  if (stream !== undefined) onTrace = (r) => stream.record(r);

  const stop: Stop | undefined = await advanceRun(run, budgets, interrupts);
  if (stop?.kind === 'signal') {
    out.abort();
    const lost = flags.out === undefined ? 'the output above is cut short' : `${flags.out} was not written`;
    throw new InterruptedError(stop.signal, `interrupted (${stop.signal}) at ${(run.now() / 1e9).toFixed(3)}s of virtual time after ${run.events().toLocaleString('en-US')} events: ${lost}${flags.pcap === undefined ? '' : `, and neither was ${flags.pcap}`}`);
  }
  const stopped = stop?.text;
  const result = run.finish();
  if (stream !== undefined) stream.end(result, stopped);
  else write(`${JSON.stringify(stopped === undefined ? summaryJson(result) : { ...summaryJson(result), stopped }, null, 2)}\n`);
  if (flags.pcap !== undefined) {
    writeOut(flags.pcap, renderPcap(packets, { at: flags.pcapAt }));
    process.stderr.write(`wrote ${flags.pcap} (${packets.length} packets, captured at the ${flags.pcapAt}; decode with tshark -d tcp.port==50051,http2)\n`);
  }
  out.commit();
  if (flags.out !== undefined) process.stderr.write(`wrote ${flags.out}\n`);
  if (stopped !== undefined) throw new BudgetStop(`run stopped: ${stopped}; the output is the run up to there`);
}
