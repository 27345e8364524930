/**
 * Replaying a captured connection into grpc-go's server model: the real client's frames arrive at
 * their capture times, and the model's PINGs borrow the round trips of the real server's PINGs.
 */
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/frames/frame.js';
import { replayCapture } from '../../src/replay/replay.js';
import type { CapturedSimFrame, ReplayInput } from '../../src/replay/replay-input.js';
import { parseScenario } from '../../src/scenario/load.js';
import { MILLISECOND, SECOND } from '../../src/time/units.js';

const ms = MILLISECOND;
const settings: Frame = { type: 'SETTINGS', ack: false };
const settingsAck: Frame = { type: 'SETTINGS', ack: true };
const ping: Frame = { type: 'PING', ack: false, payload: 'keepalive' };
const pingAck: Frame = { type: 'PING', ack: true, payload: 'keepalive' };

/** An idle connection whose server pings at 60.01 s and hears the ACK `ackAfter` later. */
function idleCapture(ackAfter: number): ReplayInput {
  const frames: CapturedSimFrame[] = [
    { at: 1 * ms, from: 'client', frame: settings },
    { at: 2 * ms, from: 'server', frame: settings },
    { at: 2 * ms, from: 'server', frame: settingsAck },
    { at: 3 * ms, from: 'client', frame: settingsAck },
    { at: 60 * SECOND + 1 * ms, from: 'server', frame: ping },
    { at: 60 * SECOND + 1 * ms + ackAfter, from: 'client', frame: pingAck },
  ];
  return { frames, signals: [], end: 200 * SECOND, rtt: 1 * ms };
}

const server = (time: string, timeout: string) =>
  parseScenario({ name: 'replay', server: { version: '1.62.0', keepalive: { time, timeout } } }, 'test');

describe('replay of a captured connection into the server model', () => {
  it('a real ACK later than Timeout makes the model close at PING + Timeout (the seed)', () => {
    const r = replayCapture(idleCapture(5001 * ms), { side: 'server', scenario: server('60s', '5s') });
    expect(r.verdict).toMatchObject({ closed: true, cause: 'keepalive' });
    // The model's first PING goes out Time after its last read (the SETTINGS ACK at 3 ms).
    if (r.verdict.closed) expect(r.verdict.at).toBe(60 * SECOND + 3 * ms + 5 * SECOND);
  });
  it('the same capture under Timeout 10s: the borrowed ACK is in time and the model keeps pinging', () => {
    const r = replayCapture(idleCapture(5001 * ms), { side: 'server', scenario: server('60s', '10s') });
    expect(r.verdict.closed).toBe(false);
    // Later PINGs have no real PING nearby: they assume the capture's round trip.
    expect(r.run.outcome.framesSent.server.PING).toBe(3);
  });
  it('model PINGs far from any real one (45 s, 90 s) assume the measured round trip, and say so', () => {
    const r = replayCapture(idleCapture(5001 * ms), { side: 'server', scenario: server('45s', '5s') });
    expect(r.verdict.closed).toBe(false);
    const notes = r.run.trace.flatMap((t) => t.actions.flatMap((a) => (a.type === 'sendFrame' ? a.notes : [])));
    expect(notes.some((n) => n.includes('ACK assumed after'))).toBe(true);
  });
  it('the capture ends before the model would decide: open, and the verdict says why', () => {
    const input = { ...idleCapture(5001 * ms), end: 62 * SECOND };
    const r = replayCapture(input, { side: 'server', scenario: server('60s', '5s') });
    expect(r.verdict).toEqual({ closed: false, why: expect.stringContaining('end of the capture') });
  });
  it('the real client closing first is reported as such, not as a model decision', () => {
    const input: ReplayInput = { ...idleCapture(5001 * ms), signals: [{ at: 61 * SECOND, from: 'client', signal: 'FIN' }] };
    const r = replayCapture(input, { side: 'server', scenario: server('60s', '5s') });
    expect(r.verdict.closed).toBe(false);
    expect(r.captured.peerClosed).toEqual({ at: 61 * SECOND, how: 'FIN' });
  });
});
