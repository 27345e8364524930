import { describe, expect, it } from 'vitest';
import { classifyStep, STEP_WHY } from '../../src/report/step-why.js';
import type { TraceRecord } from '../../src/sim/trace.js';

const base: TraceRecord = { seq: 0, at: 0, actor: 'server', event: { type: 'timerFired', timer: 'kpTimer' }, actions: [], changes: {} };

describe('classifyStep', () => {
  it('prefers the close cause over the timer branch', () => {
    const r: TraceRecord = { ...base, actions: [{ type: 'close', cause: 'keepalive', reason: 'x', socket: 'FIN' }], changes: { kpTimer: [1, null] } };
    expect(classifyStep(r)).toBe('closed:keepalive');
  });

  it('tells the kpTimer branches apart from their state changes', () => {
    expect(classifyStep({ ...base, changes: { kpTimer: [1, 2], prevNano: [0, 1] } })).toBe('kpTimer:activity');
    expect(classifyStep({ ...base, changes: { kpTimer: [1, 2], kpTimeoutLeft: [10, 5] } })).toBe('kpTimer:waiting');
    expect(classifyStep({ ...base, actor: 'client', changes: { timer: [1, null], kpDormant: [false, true] } })).toBe('kpTimer:dormant');
    const ping: TraceRecord = {
      ...base,
      actions: [{ type: 'sendFrame', frame: { type: 'PING', ack: false, payload: 'keepalive' }, arrivesAt: 2, notes: [] }],
      changes: { outstandingPing: [false, true] },
    };
    expect(classifyStep(ping)).toBe('kpTimer:ping');
    expect(STEP_WHY['kpTimer:ping']).toBe('nothing read for Time: ping, wait Timeout');
  });

  it('leaves ordinary reads unexplained', () => {
    expect(classifyStep({ ...base, event: { type: 'frameRead', frame: { type: 'SETTINGS', ack: true } } })).toBeUndefined();
  });
});
