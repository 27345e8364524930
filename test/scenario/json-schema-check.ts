/**
 * A small structural JSON Schema checker for the keywords the generated scenario schema uses
 * (type, properties, required, additionalProperties, enum, const, oneOf/anyOf, items, pattern,
 * minimum/maximum, minLength). Test helper only: it returns the paths that fail, so an assertion
 * can say where. Unknown keywords are ignored except that `$ref` fails loudly.
 */
type Schema = Record<string, unknown>;

export function checkAgainstSchema(value: unknown, schema: Schema, path = '$'): string[] {
  if ('$ref' in schema) return [`${path}: $ref is not supported by this checker`];
  const problems: string[] = [];
  const type = schema['type'];
  if (typeof type === 'string' && !hasType(value, type)) return [`${path}: expected ${type}, got ${JSON.stringify(value)}`];
  if ('const' in schema && value !== schema['const']) problems.push(`${path}: expected ${JSON.stringify(schema['const'])}`);
  const en = schema['enum'];
  if (Array.isArray(en) && !en.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in enum`);
  const pattern = schema['pattern'];
  if (typeof pattern === 'string' && typeof value === 'string' && !new RegExp(pattern, 'u').test(value)) {
    problems.push(`${path}: ${JSON.stringify(value)} does not match ${pattern}`);
  }
  const minLength = schema['minLength'];
  if (typeof minLength === 'number' && typeof value === 'string' && value.length < minLength) problems.push(`${path}: too short`);
  const minimum = schema['minimum'];
  if (typeof minimum === 'number' && typeof value === 'number' && value < minimum) problems.push(`${path}: below ${minimum}`);
  const maximum = schema['maximum'];
  if (typeof maximum === 'number' && typeof value === 'number' && value > maximum) problems.push(`${path}: above ${maximum}`);
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (!Array.isArray(options)) continue;
    const matching = options.filter((o) => checkAgainstSchema(value, o as Schema, path).length === 0).length;
    if (key === 'oneOf' ? matching !== 1 : matching === 0) problems.push(`${path}: ${matching} of the ${key} options match`);
  }
  if (isObject(value)) {
    const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
    const required = schema['required'];
    if (Array.isArray(required)) {
      for (const r of required) if (!(String(r) in value)) problems.push(`${path}.${String(r)}: required`);
    }
    for (const [k, v] of Object.entries(value)) {
      const sub = properties[k];
      if (sub !== undefined) problems.push(...checkAgainstSchema(v, sub, `${path}.${k}`));
      else if (schema['additionalProperties'] === false) problems.push(`${path}.${k}: not allowed`);
    }
  }
  const items = schema['items'];
  if (Array.isArray(value) && isObject(items)) value.forEach((v, i) => problems.push(...checkAgainstSchema(v, items, `${path}.${i}`)));
  return problems;
}

/** Every object-typed subschema, with its location, so tests can check they are all closed. */
export function objectSchemas(schema: unknown, path = '$'): { path: string; schema: Schema }[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => objectSchemas(s, `${path}.${i}`));
  if (!isObject(schema)) return [];
  const here = schema['type'] === 'object' ? [{ path, schema }] : [];
  return [...here, ...Object.entries(schema).flatMap(([k, v]) => objectSchemas(v, `${path}.${k}`))];
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'null':
      return value === null;
    default:
      return typeof value === type;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
