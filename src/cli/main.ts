import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { BUILTIN_SCENARIOS, builtinNames } from '../scenario/builtins.js';
import { decodeScenarioJson } from '../scenario/decode-json.js';
import { scenarioJsonSchema } from '../scenario/json-schema.js';
import { applyOverrides, parseScenario } from '../scenario/load.js';
import { runScenario } from '../sim/world.js';
import { reportError } from './error-report.js';
import { EXIT_OK } from './exit-codes.js';
import { collectSet, parseSeedFlag, TRACE_FORMATS, type RunFlags } from './run-flags.js';
import { renderRunOutput, runOutputFormat } from './run-output.js';
import { renderScenarioList } from './scenario-list.js';
import { UsageError } from './usage-error.js';

/**
 * The `kpsim` command line: the only module that touches `process`, the file system or the
 * console. Everything it prints is rendered by pure functions (src/report, ./scenario-list.ts).
 *
 *   kpsim list
 *   kpsim run <builtin|file.json> [--seed N] [--set path=value]... [--json | --trace text|jsonl]
 *             [--out FILE] [--no-clamp] [--color]
 *   kpsim schema [--out FILE]
 */
async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (e) {
    const report = reportError(e);
    if (report.line !== undefined) process.stderr.write(`${report.line}\n`);
    return report.exitCode;
  }
}

function buildProgram(): Command {
  const program = new Command('kpsim')
    .description('Deterministic simulator of grpc-go HTTP/2 keepalive on a virtual clock.')
    // Errors are thrown to `main`, which prints them as one line; help still goes to stdout.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: () => undefined,
      outputError: () => undefined,
    });

  program
    .command('list')
    .description('list the built-in scenarios')
    .action(() => {
      const entries = builtinNames().map((name) => ({ name, description: BUILTIN_SCENARIOS[name]?.description }));
      process.stdout.write(renderScenarioList(entries));
    });

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
    .action((scenarioArg: string, flags: RunFlags) => {
      const { raw, source } = loadRawScenario(scenarioArg);
      const scenario = parseScenario(applyOverrides(raw, flags.set), source);
      const format = runOutputFormat(flags);
      const result = runScenario(scenario, { seed: flags.seed, clamp: flags.clamp, trace: format !== 'summary-json' });
      emit(renderRunOutput(result, format, flags.color === true), flags.out);
    });

  program
    .command('schema')
    .description('print the JSON Schema of scenario files')
    .option('--out <file>', 'write the schema to FILE instead of stdout')
    .action((flags: { readonly out?: string }) => {
      emit(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`, flags.out);
    });

  return program;
}

/** A built-in scenario by name (in its file form), or the decoded JSON of a scenario file. */
function loadRawScenario(arg: string): { readonly raw: unknown; readonly source: string } {
  if (Object.hasOwn(BUILTIN_SCENARIOS, arg)) return { raw: BUILTIN_SCENARIOS[arg], source: `builtin:${arg}` };
  if (!existsSync(arg)) throw new UsageError(`no built-in scenario or file named ${JSON.stringify(arg)} (try "kpsim list")`);
  let text: string;
  try {
    text = readFileSync(arg, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${JSON.stringify(arg)}: ${errnoText(e)}`);
  }
  return { raw: decodeScenarioJson(text, arg), source: arg };
}

function emit(text: string, out: string | undefined): void {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(out, text);
  } catch (e) {
    throw new UsageError(`cannot write ${JSON.stringify(out)}: ${errnoText(e)}`);
  }
  process.stderr.write(`wrote ${out}\n`);
}

function errnoText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

// A closed pipe (`kpsim run x | head`) is not an error worth a message.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(EXIT_OK);
});

process.exitCode = await main(process.argv.slice(2));
