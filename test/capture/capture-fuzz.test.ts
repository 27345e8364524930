/** A short run of the capture-reader fuzz target (fuzz/targets/capture-reader.ts) with a fixed seed. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captureInputs, target } from '../../fuzz/targets/capture-reader.js';
import { analyzeCapture, CaptureError } from '../../src/capture/capture.js';

describe('fuzz: capture reader', () => {
  it('holds on 3000 random and mutated capture files (fixed seed)', () => {
    fc.assert(target.property(() => undefined), { numRuns: 3000, seed: 20261124 });
  });

  it('the inputs reach every layer: whole analyses with HTTP/2 frames, gaps and decode errors, and typed errors', () => {
    const seen = new Set<string>();
    for (const bytes of fc.sample(captureInputs, { numRuns: 3000, seed: 20261124 })) {
      try {
        const a = analyzeCapture(bytes);
        if (a.connections.some((c) => c.frames.length > 0)) seen.add('frames');
        if (a.connections.some((c) => c.errors.length > 0)) seen.add('frame-error');
        if (a.connections.some((c) => c.directions.client.gap !== undefined || c.directions.server.gap !== undefined)) seen.add('gap');
      } catch (e) {
        if (!(e instanceof CaptureError)) throw e;
        seen.add('capture-error');
      }
    }
    expect([...seen].sort()).toEqual(['capture-error', 'frame-error', 'frames', 'gap']);
  });

});
