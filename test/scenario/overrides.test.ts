import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { applyOverrides, parseScenario } from '../../src/scenario/load.js';
import { MILLISECOND, SECOND } from '../../src/time/units.js';

const base = (): Record<string, unknown> => ({ name: 't', server: { keepalive: { time: '60s' } }, client: {} });

function overrideError(raw: unknown, set: string): ScenarioError {
  try {
    applyOverrides(raw, [set]);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error(`expected --set ${set} to fail`);
}

describe('applyOverrides (--set path=value)', () => {
  it('sets text that is not JSON as a string', () => {
    expect(applyOverrides(base(), ['server.keepalive.timeout=90s'])).toEqual({
      name: 't',
      server: { keepalive: { time: '60s', timeout: '90s' } },
      client: {},
    });
  });

  it('parses JSON values: numbers, booleans, quoted strings, objects, arrays', () => {
    const out = applyOverrides(base(), [
      'seed=7',
      'client.keepalive={"time":"10s"}',
      'client.keepalive.permitWithoutStream=true',
      'name="42"',
      'workload=[]',
    ]);
    expect(out).toEqual({
      name: '42',
      seed: 7,
      server: { keepalive: { time: '60s' } },
      client: { keepalive: { time: '10s', permitWithoutStream: true } },
      workload: [],
    });
  });

  it('splits at the first "=" only', () => {
    expect(applyOverrides(base(), ['description=a=b'])).toMatchObject({ description: 'a=b' });
  });

  it('creates missing objects on the way, and arrays before an index', () => {
    const out = applyOverrides(base(), ['network.clientToServer.delay=50ms', 'faults.0.type=crash', 'faults.0.peer=client', 'faults.0.at=5s']);
    expect(out).toMatchObject({
      network: { clientToServer: { delay: '50ms' } },
      faults: [{ type: 'crash', peer: 'client', at: '5s' }],
    });
    const s = parseScenario(out, 'test');
    expect(s.network.clientToServer.delay.base).toBe(50 * MILLISECOND);
    expect(s.faults).toEqual([{ type: 'crash', peer: 'client', at: 5 * SECOND }]);
  });

  it('indexes into existing arrays (faults.0.by=7s) and may append at the end', () => {
    const raw = BUILTIN_SCENARIOS['seed-flaw'];
    const out = applyOverrides(raw, ['faults.0.by=7s', 'faults.1={"type":"crash","peer":"server","at":"2m"}']);
    const s = parseScenario(out, 'builtin:seed-flaw');
    expect(s.faults).toEqual([
      { type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: 7 * SECOND },
      { type: 'crash', peer: 'server', at: 120 * SECOND },
    ]);
  });

  it('does not modify its input', () => {
    const raw = base();
    const before = structuredClone(raw);
    applyOverrides(raw, ['server.keepalive.time=1s', 'seed=3']);
    expect(raw).toEqual(before);
  });

  it('applies overrides in order, later ones winning', () => {
    expect(applyOverrides(base(), ['seed=1', 'seed=2'])).toMatchObject({ seed: 2 });
  });

  it('leaves type checking to validation: a bare number is a number', () => {
    const out = applyOverrides(base(), ['server.keepalive.timeout=5']);
    expect(() => parseScenario(out, 'test')).toThrow('test: server.keepalive.timeout: expected a duration string, got number 5');
  });

  it.each([
    ['server.keepalive.time', '--set "server.keepalive.time": expected path=value, e.g. server.keepalive.time=30s'],
    ['=5s', '--set "=5s": the path before "=" is empty'],
    ['server..time=5s', '--set "server..time=5s": the path has an empty step (two dots, or a dot at an end)'],
    ['server.=5s', '--set "server.=5s": the path has an empty step (two dots, or a dot at an end)'],
    ['name.first=x', '--set "name.first=x": cannot go into name: it is the string "t", not an object or array'],
    ['server.keepalive.time.unit=s', '--set "server.keepalive.time.unit=s": cannot go into server.keepalive.time: it is the string "60s", not an object or array'],
    ['__proto__.polluted=1', '--set "__proto__.polluted=1": "__proto__" is not allowed in a path'],
  ])('rejects %j', (set, message) => {
    const e = overrideError(base(), set);
    expect(e.message).toBe(message);
    expect(e.path).toBe('--set');
  });

  it('rejects a non-index step into an array, and an index that would leave a gap', () => {
    const raw = BUILTIN_SCENARIOS['seed-flaw'];
    expect(overrideError(raw, 'faults.first.by=1s').message).toBe('--set "faults.first.by=1s": faults is an array: "first" is not an index (use 0, 1, ...)');
    expect(overrideError(raw, 'faults.3.by=1s').message).toBe('--set "faults.3.by=1s": faults has 1 item: index 3 would leave a gap');
    expect(overrideError(raw, 'faults.01.by=1s').message).toBe('--set "faults.01.by=1s": faults is an array: "01" is not an index (use 0, 1, ...)');
  });

  it('rejects setting a field on a scenario that is not an object', () => {
    expect(overrideError('text', 'name=x').message).toBe('--set "name=x": cannot set a field: the scenario is the string "text", not an object');
  });
});
