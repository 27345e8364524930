import type { KeepaliveSetting, SweepSide } from '../analysis/rates/types.js';
import { clientKeepaliveTime, DEFAULTS } from '../keepalive/params.js';
import type { Scenario } from '../scenario/schema.js';

/**
 * The keepalive setting the scenario itself uses on `side`, with grpc-go's defaults filled in
 * (server Time 2h, Timeout 20s; client Timeout 20s). `undefined` for a client whose keepalive is
 * off (no Time): there is nothing to evaluate.
 */
export function currentSetting(scenario: Scenario, side: SweepSide): KeepaliveSetting | undefined {
  if (side === 'server') {
    const kp = scenario.server.keepalive;
    return { side, time: nonZero(kp.time) ?? DEFAULTS.serverKeepaliveTime, timeout: nonZero(kp.timeout) ?? DEFAULTS.serverKeepaliveTimeout };
  }
  const kp = scenario.client.keepalive;
  const time = clientKeepaliveTime(kp);
  if (time === undefined) return undefined;
  return { side, time, timeout: nonZero(kp?.timeout) ?? DEFAULTS.clientKeepaliveTimeout };
}

function nonZero(v: number | undefined): number | undefined {
  return v === undefined || v === 0 ? undefined : v;
}
