import type { RunResult } from '../sim/world.js';

/**
 * Invariants every run must satisfy, whatever the scenario; the fuzz campaign checks them on
 * random scenarios. Returns the violations in words (empty: all hold).
 */
export function checkInvariants(r: RunResult): string[] {
  const out: string[] = [];
  let last = -1;
  const closedAt: Record<string, number | undefined> = { server: undefined, client: undefined };
  const readsAt: Record<string, number[]> = { server: [], client: [] };
  for (const t of r.trace) {
    if (t.at < last) out.push(`time went backwards at record ${t.seq}: ${t.at} after ${last}`);
    last = t.at;
    for (const v of ['kpTimeoutLeft', 'timeoutLeft']) {
      const c = t.changes[v];
      if (c !== undefined && typeof c[1] === 'number' && c[1] < 0) out.push(`${t.actor} ${v} negative (${c[1]}) at ${t.at}`);
    }
    const closed = closedAt[t.actor];
    if (closed !== undefined) {
      if (t.actions.some((a) => a.type === 'sendFrame')) out.push(`${t.actor} sent a frame at ${t.at} after closing at ${closed}`);
      if (t.event.type === 'frameRead') out.push(`${t.actor} read a frame at ${t.at} after closing at ${closed}`);
    }
    if (t.event.type === 'frameRead') readsAt[t.actor]?.push(t.at);
    const close = t.actions.find((a) => a.type === 'close');
    if (close !== undefined && closed === undefined) {
      closedAt[t.actor] = t.at;
      if (close.type === 'close' && close.cause === 'keepalive') {
        // A keepalive close means nothing at all was read in the Timeout before it.
        const timeout = t.actor === 'server' ? r.serverConfig.timeout : r.clientConfig.timeout;
        const recent = (readsAt[t.actor] ?? []).filter((x) => x > t.at - timeout && x < t.at);
        if (recent.length > 0) out.push(`${t.actor} closed by keepalive at ${t.at} although it read a frame at ${recent[0]} within Timeout`);
      }
    }
  }
  const o = r.outcome;
  if (o.closed) {
    const side = o.closedBy === 'server' ? o.server : o.client;
    // 'crashed' is allowed: a process can crash after its transport closed.
    if (side.state === 'open') out.push(`outcome says ${o.closedBy} closed, but its state is open`);
    if ((o.closedAt ?? Number.POSITIVE_INFINITY) > o.endedAt) out.push(`closed at ${o.closedAt} after the run ended at ${o.endedAt}`);
  }
  if (o.endedAt > r.scenario.horizon) out.push(`the run went past its horizon (${o.endedAt} > ${r.scenario.horizon})`);
  return out;
}
