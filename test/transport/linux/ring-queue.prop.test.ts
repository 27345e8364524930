/** RingQueue against a literal array model: every command does to both what it says. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { RingQueue } from '../../../src/transport/linux/ring-queue.js';

type Cmd = { readonly op: 'push'; readonly v: number } | { readonly op: 'shift' } | { readonly op: 'removeAt'; readonly i: number } | { readonly op: 'clear' };
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.integer().map((v) => ({ op: 'push' as const, v })) },
  { weight: 3, arbitrary: fc.constant({ op: 'shift' as const }) },
  { weight: 2, arbitrary: fc.nat(40).map((i) => ({ op: 'removeAt' as const, i })) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('RingQueue', () => {
  test.prop([fc.array(cmd, { maxLength: 300 }), fc.integer({ min: 1, max: 9 })])('behaves as an array used as a queue', (cmds, cap) => {
    const q = new RingQueue<number>(cap);
    const model: number[] = [];
    for (const c of cmds) {
      switch (c.op) {
        case 'push':
          q.push(c.v);
          model.push(c.v);
          break;
        case 'shift':
          expect(q.shift()).toBe(model.shift());
          break;
        case 'removeAt':
          q.removeAt(c.i);
          if (c.i < model.length) model.splice(c.i, 1);
          break;
        case 'clear':
          q.clear();
          model.length = 0;
          break;
      }
      expect(q.length).toBe(model.length);
      expect(q.first()).toBe(model[0]);
      expect(q.last()).toBe(model[model.length - 1]);
      expect(q.at(model.length)).toBeUndefined();
    }
    for (let i = 0; i < model.length; i++) expect(q.at(i)).toBe(model[i]);
  });
});
