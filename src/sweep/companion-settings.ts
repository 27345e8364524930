import type { KeepaliveSetting } from '../analysis/rates/types.js';
import { clientKeepaliveTime, DEFAULTS } from '../keepalive/params.js';
import type { Scenario } from '../scenario/schema.js';
import { formatDuration } from '../time/duration.js';
import { SECOND, type Nanos } from '../time/units.js';

/**
 * The three grpc-go option structs that go with a recommended setting: the swept side takes the
 * recommendation; the other side keeps the scenario's; the server's EnforcementPolicy is chosen so
 * that the client's pings are let through (src/keepalive/enforcement.ts: a ping closer than
 * MinTime to the previous one is a strike, more than 2 strikes close the connection with
 * too_many_pings; with no active stream and PermitWithoutStream false the window is 2 hours).
 */
export type CompanionSettings = {
  readonly server: { readonly time: Nanos; readonly timeout: Nanos };
  /** `time` undefined: client keepalive off. */
  readonly client: { readonly time: Nanos | undefined; readonly timeout: Nanos; readonly permitWithoutStream: boolean };
  readonly enforcement: { readonly minTime: Nanos; readonly permitWithoutStream: boolean };
  /** One sentence per decision, in plain words. */
  readonly notes: readonly string[];
};

export function companionSettings(scenario: Scenario, rec: KeepaliveSetting): CompanionSettings {
  const skp = scenario.server.keepalive;
  const ckp = scenario.client.keepalive;
  const clientPermits = ckp?.permitWithoutStream ?? false;
  const enf = scenario.server.enforcement;
  const minTimeNow = nz(enf.minTime) ?? DEFAULTS.keepalivePolicyMinTime;
  const notes: string[] = [];
  const idleGaps = hasStreamlessPeriods(scenario);
  if (rec.side === 'server') {
    const server = { time: rec.time, timeout: rec.timeout };
    const ctime = clientKeepaliveTime(ckp);
    const client = { time: ctime, timeout: nz(ckp?.timeout) ?? DEFAULTS.clientKeepaliveTimeout, permitWithoutStream: clientPermits };
    if (ctime === undefined) {
      notes.push(`client keepalive can stay off: the server's pings find a dead client; a client that turns it on must use Time >= the server's MinTime (${fmt(minTimeNow)}) or earn too_many_pings strikes`);
      return { server, client, enforcement: { minTime: minTimeNow, permitWithoutStream: enf.permitWithoutStream }, notes };
    }
    const minTime = ctime >= minTimeNow ? minTimeNow : policyMinTimeFor(ctime);
    if (minTime !== minTimeNow) notes.push(`the client pings every ${fmt(ctime)}, more often than MinTime ${fmt(minTimeNow)}: lower MinTime to ${fmt(minTime)} (or raise the client's Time to at least ${fmt(minTimeNow)})`);
    const pws = enf.permitWithoutStream || clientPermits;
    if (pws && !enf.permitWithoutStream) notes.push('the client pings with no active stream (PermitWithoutStream): the server policy must permit it too, or each such ping within 2h is a strike');
    return { server, client, enforcement: { minTime, permitWithoutStream: pws }, notes };
  }
  const server = { time: nz(skp.time) ?? DEFAULTS.serverKeepaliveTime, timeout: nz(skp.timeout) ?? DEFAULTS.serverKeepaliveTimeout };
  const client = { time: rec.time, timeout: rec.timeout, permitWithoutStream: clientPermits || idleGaps };
  if (idleGaps && !clientPermits) notes.push('the workload leaves the connection without an active stream at times: set the client\'s PermitWithoutStream so keepalive keeps watching it then');
  if (rec.time < DEFAULTS.minClientTime) notes.push(`grpc-go raises a client Time below ${fmt(DEFAULTS.minClientTime)} to ${fmt(DEFAULTS.minClientTime)}`);
  const minTime = rec.time >= minTimeNow ? minTimeNow : policyMinTimeFor(rec.time);
  if (minTime !== minTimeNow) notes.push(`the server's MinTime ${fmt(minTimeNow)} is longer than the client's Time ${fmt(rec.time)}: lower it to ${fmt(minTime)}, half the client's Time, so that pings arriving early through delay variation earn no strikes`);
  const pws = enf.permitWithoutStream || client.permitWithoutStream;
  if (pws && !enf.permitWithoutStream) notes.push('the server policy must permit pings without streams (EnforcementPolicy.PermitWithoutStream), or each such ping within 2h is a strike');
  return { server, client, enforcement: { minTime, permitWithoutStream: pws }, notes };
}

/** Half the client's Time, down to the whole second (at least 1 s): room for delay variation. */
function policyMinTimeFor(clientTime: Nanos): Nanos {
  return Math.max(SECOND, Math.floor(clientTime / 2 / SECOND) * SECOND);
}

/**
 * Whether the workload leaves the connection with no active stream at some point: no stream
 * workload open from the start to the end. SIMPLIFICATION: looks at the workload's shape only
 * (streams opened at 0 and never closed), not at the timeline of unary calls.
 */
function hasStreamlessPeriods(scenario: Scenario): boolean {
  return !scenario.workload.some((w) => w.type === 'stream' && w.at === 0 && w.until === undefined);
}

function nz(v: Nanos | undefined): Nanos | undefined {
  return v === undefined || v === 0 ? undefined : v;
}

function fmt(ns: Nanos): string {
  return formatDuration(ns);
}
