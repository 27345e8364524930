import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS, builtinNames } from '../../src/scenario/builtins.js';
import { SCENARIO_SCHEMA_ID, scenarioJsonSchema } from '../../src/scenario/json-schema.js';
import { checkAgainstSchema, objectSchemas } from './json-schema-check.js';

const schema = scenarioJsonSchema();
const properties = schema['properties'] as Record<string, Record<string, unknown>>;
const at = (...steps: string[]): Record<string, unknown> =>
  steps.reduce<Record<string, unknown>>((node, step) => (node[step] as Record<string, unknown>) ?? {}, schema);

describe('scenarioJsonSchema', () => {
  it('is a draft 2020-12 schema with an id, title and description', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['$id']).toBe(SCENARIO_SCHEMA_ID);
    expect(schema['title']).toBe('kpsim scenario');
    expect(typeof schema['description']).toBe('string');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('requires only name at the top level (server and client default to grpc-go defaults)', () => {
    expect(schema['required']).toEqual(['name']);
    expect(Object.keys(properties)).toEqual([
      '$schema', 'name', 'description', 'seed', 'horizon', 'tieOrder', 'server', 'client', 'network', 'workload', 'faults', 'hunt',
    ]);
  });

  it('closes every object: additionalProperties is false everywhere', () => {
    const objects = objectSchemas(schema);
    expect(objects.length).toBeGreaterThanOrEqual(15);
    expect(objects.filter((o) => o.schema['additionalProperties'] !== false).map((o) => o.path)).toEqual([]);
  });

  it('shows durations as strings, with their defaults as written', () => {
    expect(at('properties', 'horizon')).toMatchObject({ type: 'string', default: '1h' });
    expect(at('properties', 'server', 'properties', 'keepalive', 'properties', 'timeout')).toMatchObject({ type: 'string' });
    expect(at('properties', 'network', 'properties', 'clientToServer', 'properties', 'delay')).toMatchObject({ type: 'string', default: '10ms' });
    // A duration, or a {delay, jitter, distribution} object for a busy reader.
    const reader = at('properties', 'server', 'properties', 'readerLatency') as { default?: unknown; anyOf?: { type?: string }[] };
    expect(reader.default).toBe('0s');
    expect(reader.anyOf?.map((a) => a.type)).toEqual(['string', 'object']);
  });

  it('documents fields with descriptions', () => {
    expect(String(at('properties', 'server', 'properties', 'keepalive', 'properties', 'time')['description'])).toContain('ServerParameters.Time');
  });

  it('has a duration pattern that accepts Go durations and rejects others', () => {
    const timeout = at('properties', 'server', 'properties', 'keepalive', 'properties', 'timeout');
    const pattern = new RegExp(String(timeout['pattern']), 'u');
    for (const ok of ['0', '5s', '1m30s', '1h2m3.5s', '250ms', '1.5µs', '300us', '.5s']) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['5 sec', '-1s', '', '1.5', '5S', '1d']) expect(pattern.test(bad), bad).toBe(false);
  });

  it.each(builtinNames())('accepts the built-in %s', (name) => {
    expect(checkAgainstSchema(BUILTIN_SCENARIOS[name], schema)).toEqual([]);
  });

  it('rejects an unknown field, a missing required field and a bad enum (the checker can fail)', () => {
    const good = BUILTIN_SCENARIOS['seed-flaw'] as Record<string, unknown>;
    expect(checkAgainstSchema({ ...good, server: { keepalive: { timeot: '5s' } } }, schema)).toEqual(['$.server.keepalive.timeot: not allowed']);
    const { name: _name, ...unnamed } = good;
    expect(checkAgainstSchema(unnamed, schema)).toEqual(['$.name: required']);
    expect(checkAgainstSchema({ ...good, tieOrder: 'random' }, schema)).toEqual(['$.tieOrder: "random" not in enum']);
    expect(checkAgainstSchema({ ...good, faults: [{ type: 'crash', peer: 'client' }] }, schema)).toEqual(['$.faults.0: 0 of the oneOf options match']);
  });
});
