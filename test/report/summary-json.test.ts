import { describe, expect, it } from 'vitest';
import { summaryJson } from '../../src/report/summary-json.js';
import { delayedAckRun, tooManyPingsRun } from './delayed-ack-run.js';

describe('summaryJson', () => {
  it('summarises a keepalive close in virtual milliseconds', () => {
    const s = summaryJson(delayedAckRun());
    expect(Object.keys(s)).toEqual([
      'scenario', 'seed', 'closed', 'closedAtMs', 'closedBy', 'cause', 'reason', 'server', 'client',
      'framesSent', 'framesReceived', 'nextClientKeepaliveTimeMs', 'settings', 'warnings', 'endedAtMs', 'events',
    ]);
    expect(s.warnings).toEqual([]);
    expect(s).toMatchObject({
      scenario: 'delayed-ack',
      seed: 1,
      closed: true,
      closedAtMs: 65_030,
      closedBy: 'server',
      cause: 'keepalive',
      reason: 'keepalive ping not acked within timeout 5s',
      nextClientKeepaliveTimeMs: null,
      endedAtMs: 65_040,
    });
    expect(s.server).toEqual({
      state: 'closed',
      closedAtMs: 65_030,
      cause: 'keepalive',
      error: 'keepalive ping not acked within timeout 5s',
      socketSaw: 'nothing',
      socketSent: 'FIN',
      failedStreams: [{ streamId: 1, error: 'context canceled' }],
      appSees: '1 stream(s) ended: the handler\'s stream context is done with "context canceled"',
    });
    expect(s.client).toMatchObject({ state: 'closed', closedAtMs: 65_040, cause: 'eof', socketSaw: 'FIN', socketSent: 'FIN' });
    expect(s.framesSent.server).toMatchObject({ PING: 2 });
    expect(s.framesSent.client).toMatchObject({ PING_ACK: 2 });
    // The held keepalive ACK never reached the server's reader.
    expect(s.framesReceived.server).toMatchObject({ PING_ACK: 1 });
    expect(s.settings.server).toMatchObject({ version: '1.83.1', timeMs: 60_000, timeoutMs: 5_000, minTimeMs: 300_000, tcpUserTimeoutMs: 5_000, maxConnectionIdleMs: null });
    expect(s.settings.client).toEqual({ version: '1.83.1', timeMs: null, timeoutMs: 20_000, permitWithoutStream: false, tcpUserTimeoutMs: null });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('reports the next client keepalive Time after too_many_pings', () => {
    const s = summaryJson(tooManyPingsRun());
    expect(s).toMatchObject({ closed: true, closedBy: 'server', cause: 'too_many_pings', reason: 'got too many pings from the client', nextClientKeepaliveTimeMs: 20_000 });
    expect(s.framesSent.server).toMatchObject({ GOAWAY: 1 });
    expect(s.framesReceived.client).toMatchObject({ GOAWAY: 1 });
  });
});
