/**
 * EventQueue.reserve / pushSeq: a producer that pushes each of its items only when the one
 * before it leaves the queue (a series of unary calls) must pop the very order it would with
 * every item pushed at the start. The property drives both queues with the same pushes and
 * pops and compares what comes out.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { EventQueue } from '../../src/time/event-queue.js';

type Tag = { readonly src: string; readonly i: number };
const series = fc.record({ at: fc.nat(20), every: fc.nat(3), count: fc.integer({ min: 1, max: 12 }), rank: fc.constantFrom(0, 1, 3) });
const single = fc.record({ at: fc.nat(40), rank: fc.constantFrom(0, 1, 3) });
const plan = fc.array(fc.oneof(series.map((s) => ({ kind: 'series' as const, ...s })), single.map((s) => ({ kind: 'single' as const, ...s }))), { maxLength: 8 });

function drain(q: EventQueue<Tag>, onPop: (t: Tag, at: number) => void): string[] {
  const out: string[] = [];
  for (;;) {
    const top = q.pop();
    if (top === undefined) return out;
    out.push(`${top.at}/${top.rank}:${top.item.src}#${top.item.i}`);
    onPop(top.item, top.at);
  }
}

describe('EventQueue', () => {
  test.prop([plan, fc.array(fc.record({ at: fc.nat(40), rank: fc.constantFrom(0, 3) }), { maxLength: 6 })])(
    'items pushed lazily in reserved places pop in the order of pushing them all at once',
    (entries, later) => {
      const eager = new EventQueue<Tag>();
      const lazy = new EventQueue<Tag>();
      const seriesOf = new Map<string, { at: number; every: number; count: number; rank: number; seq0: number }>();
      entries.forEach((e, k) => {
        const src = `e${k}`;
        if (e.kind === 'single') {
          eager.push(e.at, e.rank, { src, i: 0 });
          lazy.push(e.at, e.rank, { src, i: 0 });
          return;
        }
        for (let i = 0; i < e.count; i++) eager.push(e.at + i * e.every, e.rank, { src, i });
        const seq0 = lazy.reserve(e.count);
        seriesOf.set(src, { ...e, seq0 });
        lazy.pushSeq(e.at, e.rank, seq0, { src, i: 0 });
      });
      // Pushes made while draining (the run's own events) go in both queues the same way.
      const react = (q: EventQueue<Tag>, lazyQueue: boolean): ((t: Tag, at: number) => void) => {
        let n = 0;
        return (t, at) => {
          const s = seriesOf.get(t.src);
          if (lazyQueue && s !== undefined && t.i + 1 < s.count) q.pushSeq(s.at + (t.i + 1) * s.every, s.rank, s.seq0 + t.i + 1, { src: t.src, i: t.i + 1 });
          const l = later[t.i % Math.max(1, later.length)];
          if (l !== undefined && t.src !== 'late' && n++ < 200) q.push(at + l.at, l.rank, { src: 'late', i: t.i });
        };
      };
      const a = drain(eager, react(eager, false));
      const b = drain(lazy, react(lazy, true));
      expect(b).toEqual(a);
    },
  );

  it('reserve hands out consecutive blocks after the sequence numbers already used', () => {
    const q = new EventQueue<string>();
    q.push(5, 0, 'a');
    const s = q.reserve(3);
    q.push(5, 0, 'b');
    q.pushSeq(5, 0, s + 2, 'r2');
    q.pushSeq(5, 0, s, 'r0');
    expect([q.pop(), q.pop(), q.pop(), q.pop()].map((x) => [x?.item, x?.seq])).toEqual([
      ['a', 0],
      ['r0', 1],
      ['r2', 3],
      ['b', 4],
    ]);
  });
});
