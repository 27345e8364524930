/**
 * A read and a timer at the same nanosecond: the scenario's tieOrder decides which goes first.
 * Here the keepalive ACK arrives exactly when the server's Timeout runs out.
 */
import { describe, expect, it } from 'vitest';
import { MS, run } from '../support/run.js';

// Server created at 1 ms; SETTINGS ACK read at 3 ms; kpTimer fires at 101 ms (re-arm to 103 ms),
// PING at 103 ms, countdown ends at 113 ms. The ACK is sent at 104 ms and held 8 ms: it arrives at
// 113 ms, the same instant.
const scenario = (tieOrder: 'reads-first' | 'timers-first') =>
  run(
    {
      horizon: '300ms',
      tieOrder,
      network: { clientToServer: { delay: '1ms' }, serverToClient: { delay: '1ms' } },
      server: { keepalive: { time: '100ms', timeout: '10ms' } },
      workload: [{ type: 'stream', at: '0s' }],
      faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', by: '8ms' }],
    },
    { clamp: false },
  );

describe('tie order', () => {
  it('reads-first: the ACK read at the deadline counts as life', () => {
    const r = scenario('reads-first');
    const ackRead = r.trace.find((t) => t.event.type === 'frameRead' && t.event.frame.type === 'PING' && t.event.frame.ack);
    expect(ackRead?.at).toBe(113 * MS);
    expect(r.outcome.closed).toBe(false);
  });
  it('timers-first: the same ACK is one step too late and the server closes at that instant', () => {
    const r = scenario('timers-first');
    expect(r.outcome).toMatchObject({ closed: true, closedBy: 'server', cause: 'keepalive', closedAt: 113 * MS });
  });
});
