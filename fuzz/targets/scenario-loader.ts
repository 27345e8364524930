import fc from 'fast-check';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import type { FuzzTarget } from '../target.js';

const builtinTexts = Object.values(BUILTIN_SCENARIOS).map((s) => JSON.stringify(s, null, 2));

/** YAML-like text people might feed the loader by mistake: `key: value` lines, lists, comments. */
const yamlish = fc
  .array(
    fc.tuple(fc.nat(3), fc.constantFrom('name', 'server', 'keepalive', 'time', 'workload', '- type', 'faults', '#'), fc.oneof(fc.constantFrom('30s', 'stream', '', '[1, 2]', '{a: 1}', 'true', '"x"'), fc.string({ maxLength: 8 }))),
    { maxLength: 10 },
  )
  .map((lines) => lines.map(([indent, key, value]) => `${'  '.repeat(indent)}${key}: ${value}`).join('\n'));

const mutateText = (text: string, edits: readonly (readonly [number, number, string])[]): string => {
  let t = text;
  for (const [at, op, s] of edits) {
    const i = t.length === 0 ? 0 : at % t.length;
    if (op === 0) t = t.slice(0, i) + s + t.slice(i + 1);
    else if (op === 1) t = t.slice(0, i) + s + t.slice(i);
    else if (op === 2) t = t.slice(0, i) + t.slice(i + 1 + (s.length % 5));
    else t = t.slice(0, i);
  }
  return t;
};

const SURROGATES = 0xe000 - 0xd800;
/**
 * fast-check's `unit: 'binary'` (any Unicode scalar value), the same values from the same seeds
 * and the same shrinks, without its reverse table of all 1.1M code points: 85 MB of heap for the
 * rest of the process, which also made V8 let garbage grow to ~450 MB before collecting it.
 */
const scalarValue: fc.Arbitrary<string> = fc.nat({ max: 0x10ffff - SURROGATES }).map(
  (i) => String.fromCodePoint(i < 0xd800 ? i : i + SURROGATES),
  (s) => {
    const cp = typeof s === 'string' ? s.codePointAt(0) : undefined;
    if (cp === undefined || String.fromCodePoint(cp) !== s || (cp >= 0xd800 && cp < 0xe000)) throw new Error('not one Unicode scalar value');
    return cp < 0xd800 ? cp : cp - SURROGATES;
  },
);

const input: fc.Arbitrary<string> = fc.oneof(
  fc.json(),
  fc.string({ maxLength: 200, unit: scalarValue }),
  yamlish,
  fc
    .tuple(fc.constantFrom(...builtinTexts), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.oneof(fc.constantFrom('"', '{', '}', '[', ']', ',', ':', '-1', '1e400', 'null', '"5 sec"', '\uFEFF'), fc.string({ maxLength: 4 }))), { minLength: 1, maxLength: 4 }))
    .map(([text, edits]) => mutateText(text, edits)),
);

/** Scenario text loads to a Scenario or fails with a ScenarioError; nothing else escapes. */
function check(text: string): void {
  try {
    parseScenarioText(text, 'fuzz');
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    if (!e.message.startsWith('fuzz')) throw new Error(`ScenarioError does not name its source: ${e.message}`);
  }
}

export const target: FuzzTarget<string> = {
  name: 'scenario-loader',
  description: 'random, YAML-like and mutated built-in scenario text loads to a Scenario or a ScenarioError naming the source',
  property: (onRun) =>
    fc.property(input, (text) => {
      onRun();
      check(text);
    }),
  // JSON keeps lone surrogates and other unpaired UTF-16 exact.
  save: (text) => new TextEncoder().encode(`${JSON.stringify(text)}\n`),
  load: (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as string,
  check,
};
