/** The server keepalive loop on its own, driven by hand: one branch of upstream's keepalive() per test. */
import { describe, expect, it } from 'vitest';
import type { ReadMarks } from '../../src/keepalive/read-marks.js';
import { serverKpTimerFired, startServerKeepalive } from '../../src/keepalive/server-keepalive.js';
import { S } from '../support/run.js';

const cfg = (time: number, timeout: number) => ({ time: time * S, timeout: timeout * S });

describe('last-read loop (v1.26.0+)', () => {
  it('re-arms kpTimer at lastRead + Time, not now + Time, after read activity', () => {
    const ka = startServerKeepalive(cfg(60, 5), 0);
    const marks: ReadMarks = { lastRead: 40 * S, activity: true };
    expect(serverKpTimerFired(ka, marks, cfg(60, 5), 'last-read', 60 * S)).toBe('activity');
    expect(ka.kpTimer).toBe(100 * S);
    expect(ka.prevNano).toBe(40 * S);
  });

  it('one late ACK kills: PING at Time, close at Time + Timeout when nothing at all is read', () => {
    const c = cfg(60, 5);
    const ka = startServerKeepalive(c, 0);
    const marks: ReadMarks = { lastRead: 0, activity: false };
    expect(serverKpTimerFired(ka, marks, c, 'last-read', 60 * S)).toBe('ping');
    expect([ka.outstandingPing, ka.kpTimeoutLeft, ka.kpTimer]).toEqual([true, 0, 65 * S]);
    expect(serverKpTimerFired(ka, marks, c, 'last-read', 65 * S)).toBe('close');
  });

  it('Timeout > Time: a single PING, the countdown in slices of Time, and never a second PING', () => {
    const c = cfg(30, 90);
    const ka = startServerKeepalive(c, 0);
    const marks: ReadMarks = { lastRead: 0, activity: false };
    const outcomes = [30, 60, 90, 120].map((t) => [t, serverKpTimerFired(ka, marks, c, 'last-read', t * S), ka.kpTimeoutLeft / S]);
    expect(outcomes).toEqual([
      [30, 'ping', 60],
      [60, 'waiting', 30],
      [90, 'waiting', 0],
      [120, 'close', 0],
    ]);
  });

  it('any frame read, not only the ACK, clears outstandingPing', () => {
    const c = cfg(60, 5);
    const ka = startServerKeepalive(c, 0);
    const marks: ReadMarks = { lastRead: 0, activity: false };
    serverKpTimerFired(ka, marks, c, 'last-read', 60 * S);
    marks.lastRead = 62 * S; // e.g. a DATA frame from the client; the ACK itself is lost
    expect(serverKpTimerFired(ka, marks, c, 'last-read', 65 * S)).toBe('activity');
    expect([ka.outstandingPing, ka.kpTimer]).toEqual([false, 122 * S]);
  });
});

describe('activity-flag loop (before v1.26.0)', () => {
  it('re-arms a full Time from the fire, whenever the read happened', () => {
    const c = cfg(60, 5);
    const ka = startServerKeepalive(c, 0);
    const marks: ReadMarks = { lastRead: 1 * S, activity: true };
    expect(serverKpTimerFired(ka, marks, c, 'activity-flag', 60 * S)).toBe('activity');
    expect([ka.kpTimer, marks.activity]).toEqual([120 * S, false]);
  });

  it('PING when the period saw no read, close if the Timeout period saw none either', () => {
    const c = cfg(60, 5);
    const ka = startServerKeepalive(c, 0);
    const marks: ReadMarks = { lastRead: 0, activity: false };
    expect(serverKpTimerFired(ka, marks, c, 'activity-flag', 60 * S)).toBe('ping');
    expect(ka.kpTimer).toBe(65 * S);
    expect(serverKpTimerFired(ka, marks, c, 'activity-flag', 65 * S)).toBe('close');
  });

  it('an ACK within Timeout is activity: next check a full Time after the Timeout fire', () => {
    const c = cfg(60, 5);
    const ka = startServerKeepalive(c, 0);
    const marks: ReadMarks = { lastRead: 0, activity: false };
    serverKpTimerFired(ka, marks, c, 'activity-flag', 60 * S);
    marks.activity = true;
    expect(serverKpTimerFired(ka, marks, c, 'activity-flag', 65 * S)).toBe('activity');
    expect([ka.pingSent, ka.kpTimer]).toEqual([false, 125 * S]);
  });
});
