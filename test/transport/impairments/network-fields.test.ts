import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scenarioErrorFromZod, scenarioErrorMap } from '../../../src/scenario/errors.js';
import { delayFields, delayModelFrom, delaySchema, lossSchema, rateField, rateSchema } from '../../../src/scenario/network-fields.js';
import { MILLISECOND } from '../../../src/time/units.js';

/** A network shaped like the scenario's, so that error paths are checked in context. */
const link = z.strictObject({ ...delayFields, loss: lossSchema, rate: rateSchema }).transform(({ loss, rate, ...delay }) => ({ delay: delayModelFrom(delay), loss, rate }));
const network = z.strictObject({ network: z.strictObject({ clientToServer: link.prefault({}) }) });

function parse(raw: unknown): unknown {
  const result = network.safeParse(raw, { error: scenarioErrorMap, reportInput: true });
  if (!result.success) throw scenarioErrorFromZod('test.json', result.error);
  return result.data.network.clientToServer;
}

function expectProblem(raw: unknown, path: string, detail: string): void {
  expect(() => parse(raw)).toThrow(`test.json: ${path}: ${detail}`);
  try {
    parse(raw);
  } catch (e) {
    expect((e as { path: string }).path).toBe(path);
  }
}

const c2s = (fields: Record<string, unknown>): unknown => ({ network: { clientToServer: fields } });

describe('defaults', () => {
  it('a link left empty: 10ms, no jitter, uniform, no loss, unlimited rate', () => {
    expect(parse({ network: {} })).toEqual({
      delay: { base: 10 * MILLISECOND, jitter: 0, distribution: 'uniform' },
      loss: { kind: 'none' },
      rate: { bitsPerSecond: undefined },
    });
  });
});

describe('lossSchema', () => {
  it('parses bernoulli', () => {
    expect(parse(c2s({ loss: { model: 'bernoulli', p: 0.01 } }))).toMatchObject({ loss: { kind: 'bernoulli', p: 0.01 } });
  });

  it('parses gilbert-elliott, mapping 1-h and 1-k to oneMinusH and oneMinusK', () => {
    expect(parse(c2s({ loss: { model: 'gilbert-elliott', p: 0.01, r: 0.3, '1-h': 0.9, '1-k': 0.001 } }))).toMatchObject({
      loss: { kind: 'gilbert-elliott', p: 0.01, r: 0.3, oneMinusH: 0.9, oneMinusK: 0.001 },
    });
  });

  it("fills in iproute2's gemodel defaults: r = 1 - p, 1-h = 1, 1-k = 0", () => {
    expect(parse(c2s({ loss: { model: 'gilbert-elliott', p: 0.25 } }))).toMatchObject({
      loss: { kind: 'gilbert-elliott', p: 0.25, r: 0.75, oneMinusH: 1, oneMinusK: 0 },
    });
  });

  it('accepts an explicit "none"', () => {
    expect(parse(c2s({ loss: { model: 'none' } }))).toMatchObject({ loss: { kind: 'none' } });
  });

  it.each([
    [{ model: 'bernoulli', p: 1.5 }, 'network.clientToServer.loss.p', "expected a probability between 0 and 1 (netem's percentage / 100), got number 1.5"],
    [{ model: 'bernoulli', p: -0.01 }, 'network.clientToServer.loss.p', "expected a probability between 0 and 1 (netem's percentage / 100), got number -0.01"],
    [{ model: 'bernoulli', p: '1%' }, 'network.clientToServer.loss.p', "expected a probability between 0 and 1 (netem's percentage / 100), got string \"1%\""],
    [{ model: 'bernoulli' }, 'network.clientToServer.loss.p', 'required field is missing'],
    [{ model: 'gilbert-elliott', p: 0.1, '1-h': 2 }, 'network.clientToServer.loss.1-h', "expected a probability between 0 and 1 (netem's percentage / 100), got number 2"],
    [{ model: 'gilbert-elliott', p: 0.1, r: 7 }, 'network.clientToServer.loss.r', "expected a probability between 0 and 1 (netem's percentage / 100), got number 7"],
    [{ model: 'gilbert-elliot', p: 0.1 }, 'network.clientToServer.loss.model', 'expected one of "none", "bernoulli", "gilbert-elliott", got string "gilbert-elliot"'],
    [{ model: 'bernoulli', p: 0.1, h: 1 }, 'network.clientToServer.loss', 'unknown field "h"'],
  ])('rejects %j at %s', (loss, path, detail) => {
    expectProblem(c2s({ loss }), path, detail);
  });
});

describe('delay fields', () => {
  it('parse into a DelayModel', () => {
    expect(parse(c2s({ delay: '20ms', jitter: '5ms', distribution: 'paretonormal' }))).toMatchObject({
      delay: { base: 20 * MILLISECOND, jitter: 5 * MILLISECOND, distribution: 'paretonormal' },
    });
  });

  it('delaySchema parses them on their own', () => {
    expect(delaySchema.parse({ jitter: '1ms', distribution: 'normal' })).toEqual({ base: 10 * MILLISECOND, jitter: MILLISECOND, distribution: 'normal' });
  });

  it.each([
    [{ jitter: '5 ms' }, 'network.clientToServer.jitter', 'expected a Go duration such as "5s" or "1m30s": invalid duration "5 ms"'],
    [{ distribution: 'gaussian' }, 'network.clientToServer.distribution', 'expected one of "uniform", "normal", "pareto", "paretonormal", got string "gaussian"'],
  ])('rejects %j at %s', (fields, path, detail) => {
    expectProblem(c2s(fields), path, detail);
  });
});

describe('rateSchema', () => {
  it('parses a tc rate to bits per second', () => {
    expect(parse(c2s({ rate: '10mbit' }))).toMatchObject({ rate: { bitsPerSecond: 10_000_000 } });
    expect(parse(c2s({ rate: '64kbps' }))).toMatchObject({ rate: { bitsPerSecond: 512_000 } });
    expect(rateField().parse('1gibit')).toBe(2 ** 30);
  });

  it.each([
    ['10 furlongs', 'unknown rate unit " furlongs" in "10 furlongs" (use bit, kbit, mbit, gbit, tbit, bps, kbps, mbps, gbps, tbps (IEC: kibit, mibps, ...))'],
    [10, 'expected a rate string such as "10mbit", got number 10'],
    ['0bit', 'rate "0bit" is 0; leave the rate out for an unlimited link'],
  ])('rejects %j', (rate, detail) => {
    expectProblem(c2s({ rate }), 'network.clientToServer.rate', detail);
  });
});

describe('JSON Schema', () => {
  it('every field can be written as JSON Schema for editors, with its description', () => {
    const schema = z.toJSONSchema(z.strictObject({ ...delayFields, loss: lossSchema, rate: rateSchema }), { io: 'input', target: 'draft-2020-12', unrepresentable: 'throw' });
    const properties = schema['properties'] as Record<string, { description?: string }>;
    for (const key of ['delay', 'jitter', 'distribution', 'loss', 'rate']) expect(properties[key]?.description).toBeTruthy();
  });
});
