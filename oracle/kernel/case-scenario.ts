import type { ScenarioInput } from '../../src/scenario/schema.js';
import { formatDuration, parseDuration } from '../../src/time/duration.js';
import type { KernelCase } from './case.js';

/** What a recorded run tells the model beyond the case itself: versions and the hosts' tick grid. */
export type RunFacts = {
  readonly grpcGo: string;
  /** The kernel release the oracle ran (the model takes its major.minor). */
  readonly kernel: string;
  /** jiffies at the connect, fractional; both namespaces share the host's clock. */
  readonly jiffiesAtConnect: number | undefined;
  /**
   * When the client opened its stream, ns after the connect (a real client opens it once the
   * server's SETTINGS has made the channel READY). Absent: at 0.
   */
  readonly streamAt?: number | undefined;
  /** When the client wrote each message, ns after the connect. Absent: the case's schedule. */
  readonly clientSendTimes?: readonly number[] | undefined;
  /** The outages as the router applied them (ns after the connect), each direction on its own. Absent: the case's. */
  readonly faults?: readonly { readonly direction: 'clientToServer' | 'serverToClient'; readonly at: number; readonly for: number }[] | undefined;
  /** How late each side's Go timers fired in the run, ns (model-run.ts measures it). */
  readonly timerLateness?: Readonly<Record<'server' | 'client', number>> | undefined;
};

/**
 * Half the round trip through the oracle's veth pairs and router, as TCP_INFO reports it on an
 * idle connection (rtt 19-43 us): the model's one-way delay. RTOs and probes do not depend on it
 * at this size (RTO is SRTT + 200 ms).
 */
export const ORACLE_ONE_WAY_DELAY = '20us';

/**
 * kpsim's scenario for a case: grpc-go of the recorded version on both sides, a Linux kernel of
 * the recorded release with HZ 250 and the run's own tick phase, the TCP network with the
 * oracle's delay, the client's stream and messages, and the outages as partitions.
 */
export function caseScenario(c: KernelCase, f: RunFacts): ScenarioInput {
  const m = /^(\d+)\.(\d+)/.exec(f.kernel);
  const kernelVersion = m === null ? '6.12' : `${m[1]}.${m[2]}`;
  const kernel = (): Record<string, unknown> => {
    if (f.jiffiesAtConnect === undefined) return { version: kernelVersion, hz: 250 };
    const whole = Math.floor(f.jiffiesAtConnect);
    const phaseNs = Math.floor((f.jiffiesAtConnect - whole) * 4_000_000);
    return { version: kernelVersion, hz: 250, jiffies: whole, tickPhase: `${phaseNs}ns` };
  };
  const lateness = (side: 'server' | 'client'): Record<string, unknown> => {
    const ns = f.timerLateness?.[side] ?? 0;
    return ns > 0 ? { timerLateness: `${ns}ns` } : {};
  };
  const server: Record<string, unknown> = { version: f.grpcGo, kernel: kernel(), ...lateness('server') };
  if (c.server.time !== undefined || c.server.timeout !== undefined) {
    server['keepalive'] = { ...(c.server.time === undefined ? {} : { time: c.server.time }), ...(c.server.timeout === undefined ? {} : { timeout: c.server.timeout }) };
  }
  const client: Record<string, unknown> = { version: f.grpcGo, kernel: kernel(), ...lateness('client') };
  if (c.client.time !== undefined) {
    client['keepalive'] = { time: c.client.time, ...(c.client.timeout === undefined ? {} : { timeout: c.client.timeout }), permitWithoutStream: c.client.permitWithoutStream === true };
  }
  const size = c.size ?? 200;
  const workload: unknown[] = [];
  if (c.client.noStream !== true) {
    const at = Math.max(0, Math.round(f.streamAt ?? 0));
    // The run's own write times when there are any (strictly increasing, after the open), else the case's schedule.
    const times: string[] = [];
    let last = -1;
    for (const t of f.clientSendTimes ?? []) {
      const rel = Math.max(last + 1, Math.round(t) - at);
      times.push(`${rel}ns`);
      last = rel;
    }
    const schedule = times.length > 0 ? { times, size } : { every: c.client.every ?? '1000h', size, first: c.client.sendFrom ?? '0s' };
    workload.push({
      type: 'stream',
      at: formatDuration(at),
      client: schedule,
      ...(c.server.every === undefined ? {} : { server: { every: c.server.every, size } }),
    });
  }
  return {
    name: `real-kernel-${c.name}`,
    description: c.about,
    horizon: c.for,
    server,
    client,
    network: {
      model: 'tcp',
      clientToServer: { delay: ORACLE_ONE_WAY_DELAY },
      serverToClient: { delay: ORACLE_ONE_WAY_DELAY },
    },
    workload,
    faults:
      f.faults === undefined
        ? c.faults.map((x) => ({ type: 'partition', direction: x.direction, from: x.at, until: formatDuration(parseDuration(x.at) + parseDuration(x.for)) }))
        : f.faults.map((x) => ({ type: 'partition', direction: x.direction, from: `${Math.round(x.at)}ns`, until: `${Math.round(x.at + x.for)}ns` })),
  } as ScenarioInput;
}
