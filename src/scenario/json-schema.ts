import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** The `$id` of the scenario JSON Schema (a name, not a location: nothing is fetched from it). */
export const SCENARIO_SCHEMA_ID = 'urn:kpsim:scenario';

/**
 * The JSON Schema (draft 2020-12) of scenario files as written: durations are strings, defaults
 * are shown as written. Generated from `scenarioSchema`, so it cannot drift from the validator;
 * `kpsim schema` writes it to docs/scenario.schema.json for editors.
 *
 * It checks structure only: duration syntax is approximated by a pattern, and cross-field rules
 * (a blackhole's "until" after its "from") are left to kpsim's own validation.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(scenarioSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'throw' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: SCENARIO_SCHEMA_ID,
    title: 'kpsim scenario',
    ...rest,
    description:
      'A kpsim scenario: two grpc-go peers, the network between them, a workload and faults. Durations are Go duration strings ("30s", "1m30s", "250ms"). See docs/scenarios.md.',
  };
}
