import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from '../../src/scenario/json-schema.js';

describe('docs/scenario.schema.json', () => {
  it('is the schema the code generates (run `npm run schema` after changing the format)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../docs/scenario.schema.json', import.meta.url), 'utf8')) as unknown;
    expect(committed).toEqual(scenarioJsonSchema());
  });
});
