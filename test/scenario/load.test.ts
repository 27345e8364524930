import { describe, expect, it } from 'vitest';
import { decodeScenarioJson } from '../../src/scenario/decode-json.js';
import { ScenarioError } from '../../src/scenario/errors.js';
import { parseScenarioText } from '../../src/scenario/load.js';
import { SECOND } from '../../src/time/units.js';

function errorOf(run: () => unknown): ScenarioError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError, got none');
}

describe('parseScenarioText', () => {
  it('decodes and validates a scenario', () => {
    const text = '{\n  "$schema": "../docs/scenario.schema.json",\n  "name": "t",\n  "server": { "keepalive": { "time": "30s" } },\n  "client": {}\n}\n';
    const s = parseScenarioText(text, 'a.json');
    expect(s.name).toBe('t');
    expect(s.server.keepalive.time).toBe(30 * SECOND);
  });

  it('accepts a leading byte-order mark', () => {
    expect(parseScenarioText('\uFEFF{"name":"t","server":{},"client":{}}', 'bom.json').name).toBe('t');
  });

  it('names the source and path of a validation problem', () => {
    const e = errorOf(() => parseScenarioText('{"name":"t","server":{"keepalive":{"timeout":5}},"client":{}}', 'x.json'));
    expect(e.message).toBe('x.json: server.keepalive.timeout: expected a duration string, got number 5');
    expect(e.path).toBe('server.keepalive.timeout');
  });
});

describe('decodeScenarioJson: syntax errors name the line and column', () => {
  it.each([
    ['{\n  "name": "t",\n  "seed" 2\n}', 'line 3, column 10: invalid JSON: Unexpected number'],
    ['{\n  "name": "t",\n  "server": {},\n}\n', 'line 4, column 1: invalid JSON: Expected double-quoted property name'],
    ['{\n "name": tru}', 'line 2, column 13: invalid JSON: Unexpected token \'}\''],
    ['[1,]', 'line 1, column 4: invalid JSON: Unexpected token \']\''],
    ['{"name": "t"}\nx', 'line 2, column 1: invalid JSON: Unexpected non-whitespace character after JSON'],
    ['{"name":', 'line 1, column 9: invalid JSON: Unexpected end of JSON input'],
    ['', 'line 1, column 1: invalid JSON: Unexpected end of JSON input'],
  ])('%j', (text, where) => {
    const e = errorOf(() => decodeScenarioJson(text, 'bad.json'));
    expect(e.message).toBe(`bad.json: ${where}`);
    expect(e.path).toBe('');
    expect(e.source).toBe('bad.json');
  });
});
