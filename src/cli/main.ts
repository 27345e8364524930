import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { huntFaultSize } from '../arbitraries/fault-timeline.js';
import { hunt } from '../analysis/hunt.js';
import { FAULT_FAMILIES, findBreakThreshold, type FaultFamily } from '../analysis/break/index.js';
import { renderBreakResult } from '../report/break-report.js';
import { summaryJson } from '../report/summary-json.js';
import { renderTextTimeline } from '../report/text-timeline.js';
import { faultToInput } from '../scenario/fault-input.js';
import type { Fault } from '../scenario/schema.js';
import { renderHuntText } from '../report/hunt-report.js';
import { BUILTIN_SCENARIOS, builtinNames } from '../scenario/builtins.js';
import { scenarioJsonSchema } from '../scenario/json-schema.js';
import { applyOverrides, parseScenario } from '../scenario/load.js';
import { reportError } from './error-report.js';
import { EXIT_OK } from './exit-codes.js';
import { collectSet, parseSeedFlag } from './run-flags.js';
import { renderScenarioList } from './scenario-list.js';
import { abortAllOutputs, checkDistinctPaths, flushStdout, writeStdout } from './output.js';
import { registerAdviseCommand } from './advise-command.js';
import { registerSweepCommand } from './sweep-command.js';
import { registerReplayCommand } from './replay-command.js';
import { registerRunCommand } from './run-command.js';
import { checkRepeatedFlags } from './repeated-flags.js';
import { budgetsFromFlags, checkWorkEstimate } from './budgets.js';
import { safeText } from '../report/safe-text.js';
import { emit, fileStem, loadRawScenario, parseDurationFlag, scenarioFileOf, writeOut } from './cli-files.js';

/**
 * The `kpsim` command line: the only module that touches `process`, the file system or the
 * console. Everything it prints is rendered by pure functions (src/report, ./scenario-list.ts).
 *
 *   kpsim list
 *   kpsim run <builtin|file.json> [--seed N] [--set path=value]... [--json | --trace text|jsonl]
 *             [--out FILE] [--no-clamp] [--color]
 *   kpsim hunt <builtin|file.json> [--runs N] [--seed N] [--max-delay D] [--max-faults N] [--json] [--save FILE | --no-save]
 *   kpsim break <builtin|file.json> --fault <family> [--seed N] [--set path=value]... [--json] [--trace]
 *   kpsim schema [--out FILE]
 */
async function main(argv: readonly string[]): Promise<number> {
  try {
    checkRepeatedFlags(argv);
    await buildProgram().parseAsync([...argv], { from: 'user' });
    flushStdout();
    return EXIT_OK;
  } catch (e) {
    abortAllOutputs();
    // What was printed before the error (help text, a partial timeline) still goes out.
    try {
      flushStdout();
    } catch {
      // Standard output is gone too: the error below is what matters.
    }
    const report = reportError(e);
    // Messages quote the user's input (paths, keys, values): nothing in them may drive the terminal.
    if (report.line !== undefined) process.stderr.write(`${safeText(report.line)}\n`);
    return report.exitCode;
  }
}

function buildProgram(): Command {
  const program = new Command('kpsim')
    .description('Deterministic simulator of grpc-go HTTP/2 keepalive on a virtual clock.')
    // Errors are thrown to `main`, which prints them as one line; help still goes to stdout.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => writeStdout(s),
      writeErr: () => undefined,
      outputError: () => undefined,
    });

  program
    .command('list')
    .description('list the built-in scenarios')
    .action(() => {
      const entries = builtinNames().map((name) => ({ name, description: BUILTIN_SCENARIOS[name]?.description }));
      writeStdout(renderScenarioList(entries));
    });

  registerRunCommand(program);

  program
    .command('hunt')
    .description('search for fault timelines that kill a connection whose peers are alive, and shrink the first one found')
    .argument('<scenario>', 'a built-in scenario name or a scenario JSON file (its own faults are set aside)')
    .option('--runs <n>', 'fault timelines to try', parsePositiveInt, 300)
    .option('--seed <n>', 'seed of the search', parseSeedFlag, 1)
    .option('--max-delay <duration>', 'the most the added faults may hold up a frame, TCP backoff counted (default: the scenario\'s hunt.maxDelay, else twice Timeout)', parseDurationFlag)
    .option('--max-faults <n>', 'faults per timeline (default: the scenario\'s hunt.maxFaults, 3)', parsePositiveInt)
    .option('--set <path=value>', 'override a scenario field before validation (repeatable)', collectSet, [])
    .option('--json', 'print the result as JSON')
    .option('--save <file>', 'where to save the counterexample scenario (default: <name>-counterexample.json)')
    .option('--no-save', 'do not save the counterexample')
    .action((scenarioArg: string, flags: HuntFlags) => {
      const { raw, source } = loadRawScenario(scenarioArg);
      const input = applyOverrides(raw, flags.set);
      const scenario = parseScenario(flags.maxFaults === undefined ? input : applyOverrides(input, [`hunt.maxFaults=${flags.maxFaults}`]), source);
      checkWorkEstimate(scenario, source, budgetsFromFlags({}));
      const result = hunt(scenario, { runs: flags.runs, seed: flags.seed, ...(flags.maxDelay === undefined ? {} : { maxDelay: flags.maxDelay }) });
      let savedTo: string | undefined;
      const ce = result.counterexample;
      const file = ce === undefined ? undefined : counterexampleInput(input, scenario.name, ce.scenario.faults, ce.story);
      if (file !== undefined && flags.save !== false) {
        savedTo = typeof flags.save === 'string' ? flags.save : `${fileStem(scenario.name)}-counterexample.json`;
        checkDistinctPaths([['the counterexample', savedTo]], [['the scenario file', scenarioFileOf(scenarioArg)]]);
        writeOut(savedTo, `${JSON.stringify(file, null, 2)}\n`);
      }
      if (flags.json === true) {
        const summary = {
          scenario: scenario.name,
          found: result.found,
          runs: result.runs,
          shrinkRuns: result.shrinks,
          seed: result.seed,
          maxDelayMs: result.constraints.maxDelay / 1e6,
          counterexample:
            ce === undefined || file === undefined
              ? null
              : {
                  ...file,
                  story: ce.story,
                  // Each fault as the peer experiences it: a late reply by its PING-to-ACK time, others by length or count.
                  sizes: ce.faults.map((f) => (f.kind === 'lost-ack' ? { kind: f.kind, losses: f.times } : { kind: f.kind, sizeMs: huntFaultSize(f) })),
                  closedAtMs: (ce.result.outcome.closedAt ?? 0) / 1e6, closedBy: ce.result.outcome.closedBy ?? null, cause: ce.result.outcome.cause ?? null, reason: ce.result.outcome.reason ?? null, savedTo: savedTo ?? null },
        };
        writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
      } else {
        writeStdout(renderHuntText(result, scenario.name, savedTo));
      }
    });

  program
    .command('break')
    .description('find the exact size at which a fault family starts to kill a live connection, with the witness run just above it')
    .argument('<scenario>', 'a built-in scenario name or a scenario JSON file (its own faults are set aside)')
    .addOption(new Option('--fault <family>', 'which fault grows').choices(FAULT_FAMILIES).makeOptionMandatory())
    .option('--seed <n>', 'seed of every run (overrides the scenario\'s seed)', parseSeedFlag)
    .option('--set <path=value>', 'override a scenario field before validation (repeatable)', collectSet, [])
    .option('--no-clamp', 'do not raise keepalive Time to grpc-go\'s public-API floors')
    .option('--json', 'print the result as JSON')
    .option('--trace', 'also print the witness run\'s timeline')
    .action((scenarioArg: string, flags: BreakFlags) => {
      const { raw, source } = loadRawScenario(scenarioArg);
      const scenario = parseScenario(applyOverrides(raw, flags.set), source);
      checkWorkEstimate(scenario, source, budgetsFromFlags({}));
      const r = findBreakThreshold(scenario, flags.fault, { ...(flags.seed === undefined ? {} : { seed: flags.seed }), clamp: flags.clamp });
      if (flags.json === true) {
        const ms = (x: number | null): number | null => (x === null ? null : r.unit === 'ns' ? x / 1e6 : x);
        const summary = {
          scenario: scenario.name,
          fault: r.fault,
          unit: r.unit === 'ns' ? 'ms' : 'count',
          kills: r.kills,
          thresholdMs: r.kills ? ms(r.threshold) : null,
          lastSurvivingMs: ms(r.lastSurviving),
          exact: ms(r.exact),
          exactNote: r.exactNote,
          runs: r.runs,
          anchor: { firstPingAtMs: r.anchor.firstPingAt / 1e6, baselineRoundTripMs: r.anchor.baselineRoundTrip / 1e6 },
          witness: r.kills ? summaryJson(r.witness) : null,
          pass: summaryJson(r.pass),
        };
        writeStdout(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const text = renderBreakResult(r);
      writeStdout(text.endsWith('\n') ? text : `${text}\n`);
      if (flags.trace === true && r.kills) writeStdout(`\nwitness\n${renderTextTimeline(r.witness)}`);
    });

  registerSweepCommand(program);
  registerAdviseCommand(program);
  registerReplayCommand(program);

  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .option('--out <file>', 'write the schema to FILE instead of stdout')
    .action((flags: { readonly out?: string }) => {
      emit(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`, flags.out);
    });

  return program;
}

type BreakFlags = {
  readonly fault: FaultFamily;
  readonly seed?: number;
  readonly set: readonly string[];
  readonly clamp: boolean;
  readonly json?: true;
  readonly trace?: true;
};

type HuntFlags = {
  readonly runs: number;
  readonly seed: number;
  readonly maxDelay?: number;
  readonly maxFaults?: number;
  readonly set: readonly string[];
  readonly json?: true;
  readonly save: string | boolean;
};

/** The counterexample as a scenario file: the user's scenario with the hunt's faults instead of its own. */
function counterexampleInput(input: unknown, name: string, faults: readonly Fault[], story: readonly string[]): Record<string, unknown> {
  const base = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  return { ...base, name: `${name}-counterexample`, description: `Found by kpsim hunt on ${name}: ${story.join('; ')}.`, faults: faults.map(faultToInput) };
}

function parsePositiveInt(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 1_000_000) throw new InvalidArgumentError('expected a whole number from 1 to 1000000.');
  return Number(text);
}

// KPSIM_PEAK_RSS_FILE: where to write the process's peak resident set (KiB) at exit, for the
// robustness tests and the bench (getrusage's ru_maxrss; a parent cannot read it for one child).
const peakFile = process.env['KPSIM_PEAK_RSS_FILE'];
if (peakFile !== undefined && peakFile !== '') process.on('exit', () => writeFileSync(peakFile, `${process.resourceUsage().maxRSS}\n`));

process.exitCode = await main(process.argv.slice(2));
