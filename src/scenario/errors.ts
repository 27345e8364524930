import type { z } from 'zod';

/**
 * A scenario that cannot be used, reported as one line: `<source>: <path>: <problem>`, e.g.
 * `seed.json: server.keepalive.timeout: expected a duration string, got number 5`.
 *
 * `path` is dotted, with array indexes as numbers (`faults.0.by`); it is `''` when the problem is
 * not at a field (invalid JSON, a top level that is not an object) and `'--set'` for a malformed
 * command-line override.
 */
export class ScenarioError extends Error {
  override readonly name = 'ScenarioError';
  /** Where the scenario came from: a file name, `builtin:seed-flaw`, `--set`. */
  readonly source: string;
  readonly path: string;
  /** How many problems the validator found; the message shows only the first. */
  readonly problems: number;

  constructor(message: string, fields: { readonly source: string; readonly path: string; readonly problems?: number }) {
    super(message);
    this.source = fields.source;
    this.path = fields.path;
    this.problems = fields.problems ?? 1;
  }
}

/** Turns a zod path into the dotted form used in messages: `['faults', 0, 'by']` -> `faults.0.by`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((k) => (typeof k === 'symbol' ? (k.description ?? 'symbol') : String(k))).join('.');
}

/** A value as a message shows it after "got": `number 5`, `string "5 sec"`, `null`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return `string ${JSON.stringify(value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

const EXPECTED_NOUN: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/**
 * The zod error map for scenario files: every message says what was expected and what was found.
 * `parseScenario` passes it to `safeParse`; messages set by the schema itself (durations, versions,
 * refinements) take precedence over it.
 */
export const scenarioErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required field is missing';
      if (issue.expected === 'number' && isIntegerSchema(issue.inst)) return `expected an integer, got ${describeValue(issue.input)}`;
      return `expected ${EXPECTED_NOUN[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
    case 'unrecognized_keys': {
      const quoted = issue.keys.map((k) => JSON.stringify(k)).join(', ');
      const known = knownKeys(issue.inst);
      const first = issue.keys[0];
      const guess = issue.keys.length === 1 && first !== undefined ? closest(first, known) : undefined;
      const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${quoted}${hint}`;
    }
    case 'invalid_value':
      return `${expectedOneOf(issue.values)}, got ${describeValue(issue.input)}`;
    case 'invalid_union':
      if (issue.discriminator !== undefined) {
        const tag = isRecord(issue.input) ? issue.input[issue.discriminator] : undefined;
        if (tag === undefined) return 'required field is missing';
        const options: unknown = issue['options'];
        return `${expectedOneOf(Array.isArray(options) ? options : [])}, got ${describeValue(tag)}`;
      }
      return `expected one of the allowed shapes, got ${describeValue(issue.input)}`;
    case 'too_small':
    case 'too_big':
      return `${bound(issue, isIntegerSchema(issue.schema))}, got ${describeValue(issue.input)}`;
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern !== undefined
        ? `expected a string matching ${issue.pattern}, got ${describeValue(issue.input)}`
        : `expected a ${issue.format}, got ${describeValue(issue.input)}`;
    default:
      return undefined;
  }
};

/**
 * One line for a failed validation: the first problem, with `+N more problems` when there are
 * more. Messages come from the issues as zod finalised them (see `scenarioErrorMap`).
 */
export function formatZodIssues(source: string, error: z.ZodError): string {
  return scenarioErrorFromZod(source, error).message;
}

/** The `ScenarioError` for a failed validation; its message is `formatZodIssues`'s line. */
export function scenarioErrorFromZod(source: string, error: z.ZodError): ScenarioError {
  const first = error.issues[0];
  if (first === undefined) return new ScenarioError(`${source}: invalid scenario`, { source, path: '' });
  const path = formatPath(first.path);
  const more = error.issues.length - 1;
  const suffix = more > 0 ? ` (+${more} more problem${more > 1 ? 's' : ''})` : '';
  return new ScenarioError(`${source}: ${path === '' ? '(top level)' : path}: ${first.message}${suffix}`, {
    source,
    path,
    problems: error.issues.length,
  });
}

function expectedOneOf(values: readonly unknown[]): string {
  const listed = values.map((v) => JSON.stringify(v)).join(', ');
  return values.length === 1 ? `expected ${listed}` : `expected one of ${listed}`;
}

type BoundIssue = { code: 'too_small' | 'too_big'; origin: string; inclusive?: boolean } & ({ minimum: number | bigint } | { maximum: number | bigint });

function bound(issue: BoundIssue, integer: boolean): string {
  const limit = 'minimum' in issue ? issue.minimum : issue.maximum;
  const op = issue.code === 'too_small' ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  switch (issue.origin) {
    case 'string':
      return issue.code === 'too_small' && limit === 1 ? 'expected a non-empty string' : `expected a string of length ${op} ${limit}`;
    case 'array':
      return `expected an array of ${op} ${limit} items`;
    default:
      return `expected ${integer || issue.origin === 'int' ? 'an integer' : 'a number'} ${op} ${limit}`;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True for `z.int()` schemas, whose range issues report origin "number". */
function isIntegerSchema(schema: unknown): boolean {
  const def = zodDef(schema);
  return def !== undefined && def['format'] === 'safeint';
}

function zodDef(schema: unknown): Record<string, unknown> | undefined {
  if (!isRecord(schema)) return undefined;
  const zod = schema['_zod'];
  if (!isRecord(zod)) return undefined;
  const def = zod['def'];
  return isRecord(def) ? def : undefined;
}

/** The field names of the object schema that raised an `unrecognized_keys` issue, if it is one. */
function knownKeys(inst: unknown): readonly string[] {
  const shape = zodDef(inst)?.['shape'];
  return isRecord(shape) ? Object.keys(shape) : [];
}

/** The known name within edit distance 2 of `name` (and closer than half its length), if any. */
function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(name.length / 2));
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}
