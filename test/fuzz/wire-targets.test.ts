/**
 * Short fixed-seed runs of the wire and loader fuzz targets (fuzz/targets/), and checks that each
 * target's check can fail: a defect it is meant to catch is reported, a typed error is not.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { target as frameDecoder } from '../../fuzz/targets/frame-decoder.js';
import { target as hpack } from '../../fuzz/targets/hpack.js';
import { target as scenarioLoader } from '../../fuzz/targets/scenario-loader.js';

const SEED = 20261124;

describe('fuzz targets, fixed seed', () => {
  for (const t of [frameDecoder, hpack, scenarioLoader]) {
    it(`${t.name}: 300 inputs`, () => {
      let runs = 0;
      fc.assert(t.property(() => runs++) as fc.IProperty<[unknown]>, { numRuns: 300, seed: SEED });
      expect(runs).toBe(300);
    });
  }
});

describe('the targets accept typed errors and save/load inputs exactly', () => {
  it('frame-decoder: a malformed frame (PING of 7 octets) is a FrameError, not a failure', () => {
    const ping7 = Uint8Array.of(0, 0, 7, 6, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7);
    expect(() => frameDecoder.check(ping7)).not.toThrow();
    expect(frameDecoder.load(frameDecoder.save(ping7))).toEqual(ping7);
  });
  it('hpack: a bad index is an HpackError, not a failure', () => {
    const blocks = [Uint8Array.of(0x80), Uint8Array.of(0x82)];
    expect(() => hpack.check(blocks)).not.toThrow();
    expect(hpack.load(hpack.save(blocks))).toEqual(blocks);
  });
  it('scenario-loader: YAML text is a ScenarioError naming the source, not a failure', () => {
    expect(() => scenarioLoader.check('name: x\nserver:\n  keepalive: {}')).not.toThrow();
    expect(scenarioLoader.load(scenarioLoader.save('\ud800 lone'))).toBe('\ud800 lone');
  });
});
