import { decodeScenarioJson } from './decode-json.js';
import { checkJsonStructure } from './json-structure.js';
import { ScenarioError, scenarioErrorFromZod, scenarioErrorMap } from './errors.js';
import { scenarioSchema, type Scenario } from './schema.js';

/**
 * Turning scenario text into a validated `Scenario`, and applying `--set` overrides to it first.
 * Pure: the CLI reads the files; these functions only see their contents.
 */

/** Validates a scenario already decoded from JSON. `source` names it in error messages. */
export function parseScenario(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw, { error: scenarioErrorMap, reportInput: true });
  if (!result.success) throw scenarioErrorFromZod(source, result.error);
  return result.data;
}

/** Decodes and validates scenario JSON text. */
export function parseScenarioText(text: string, source: string): Scenario {
  return parseScenario(decodeScenarioJson(text, source), source);
}

/**
 * Applies command-line overrides `path=value` to a raw (not yet validated) scenario and returns a
 * new value; `raw` is not modified. The path is dotted, array indexes are numbers
 * (`faults.0.by=7s`), and missing objects on the way are created (an array when the next step is
 * an index). The value is JSON if it parses as JSON (`30`, `true`, `{"time":"30s"}`, `"007"`),
 * otherwise the text itself (`90s`).
 */
export function applyOverrides(raw: unknown, sets: readonly string[]): unknown {
  let root = structuredClone(raw);
  for (const set of sets) root = applyOverride(root, set);
  return root;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);
const INDEX = /^(0|[1-9]\d*)$/;

type Container = Record<string, unknown> | unknown[];

function applyOverride(root: unknown, set: string): unknown {
  const fail = (what: string): ScenarioError =>
    new ScenarioError(`--set ${JSON.stringify(set)}: ${what}`, { source: '--set', path: '--set' });
  const eq = set.indexOf('=');
  if (eq < 0) throw fail('expected path=value, e.g. server.keepalive.time=30s');
  const pathText = set.slice(0, eq).trim();
  if (pathText === '') throw fail('the path before "=" is empty');
  const steps = pathText.split('.');
  const bad = steps.find((s) => s === '' || FORBIDDEN_KEYS.has(s));
  if (bad !== undefined) throw fail(bad === '' ? 'the path has an empty step (two dots, or a dot at an end)' : `"${bad}" is not allowed in a path`);
  const valueText = set.slice(eq + 1);
  checkJsonStructure(valueText, `--set ${pathText}`);
  const value = parseValue(valueText);

  const base: unknown = root === undefined ? {} : root;
  if (!isContainer(base)) throw fail(`cannot set a field: the scenario is ${kind(base)}, not an object`);
  let node: Container = base;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as string;
    const here = steps.slice(0, i).join('.') || 'the scenario';
    const last = i === steps.length - 1;
    let key: string | number = step;
    if (Array.isArray(node)) {
      if (!INDEX.test(step)) throw fail(`${here} is an array: "${step}" is not an index (use 0, 1, ...)`);
      key = Number(step);
      if (key > node.length) throw fail(`${here} has ${node.length} item${node.length === 1 ? '' : 's'}: index ${key} would leave a gap`);
    }
    if (last) {
      setChild(node, key, value);
      break;
    }
    const child = getChild(node, key);
    if (child === undefined) {
      const created: Container = INDEX.test(steps[i + 1] as string) ? [] : {};
      setChild(node, key, created);
      node = created;
    } else if (isContainer(child)) {
      node = child;
    } else {
      throw fail(`cannot go into ${steps.slice(0, i + 1).join('.')}: it is ${kind(child)}, not an object or array`);
    }
  }
  return base;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isContainer(v: unknown): v is Container {
  return typeof v === 'object' && v !== null;
}

function getChild(node: Container, key: string | number): unknown {
  if (Array.isArray(node)) return typeof key === 'number' ? node[key] : undefined;
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function setChild(node: Container, key: string | number, value: unknown): void {
  if (Array.isArray(node) && typeof key === 'number') node[key] = value;
  else (node as Record<string, unknown>)[String(key)] = value;
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  switch (typeof v) {
    case 'string':
      return `the string ${JSON.stringify(v)}`;
    case 'number':
    case 'boolean':
      return `the ${typeof v} ${String(v)}`;
    default:
      return typeof v;
  }
}
