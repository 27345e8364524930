/**
 * Encoders and decoders are garbage once unreferenced, even in a loop that never yields to the
 * event loop (a Monte Carlo cell, a fuzz campaign). hpack.js's stream `write()` queued a nextTick
 * per write that held each stream until the loop turned: ~4.7 KB per encoder-decoder pair here,
 * 470 MB for the large loop below. Uses `global.gc` when the worker has it (`--expose-gc`);
 * otherwise compares a large loop with a small one, whose garbage the young generation bounds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { createHpackDecoder, createHpackEncoder, createWireReader, createWireWriter, type HeaderList } from '../../src/wire/grpc-wire.js';

const RESPONSE: HeaderList = [
  { name: ':status', value: '200' },
  { name: 'content-type', value: 'application/grpc' },
  { name: 'grpc-accept-encoding', value: 'identity,deflate,gzip' },
];
const TRAILERS: HeaderList = [
  { name: 'grpc-status', value: '0' },
  { name: 'grpc-message', value: '' },
];
const MB = 1 << 20;
const gc = ((): (() => void) | undefined => {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  try {
    setFlagsFromString('--expose-gc');
    const fromContext: unknown = runInNewContext('gc');
    return typeof fromContext === 'function' ? (fromContext as () => void) : undefined;
  } catch {
    return undefined;
  }
})();

/** Allowed growth: the leak added 440 MB (pairs) and 150 MB (connections); the fallback's noise reached 35 MB. */
const BOUND_MB = gc === undefined ? 60 : 20;

/** Runs `step` `n` times in one synchronous loop; returns the heap it leaves (see the file comment). */
const heapAfter = (n: number, step: () => void): number => {
  let least = Infinity;
  for (let i = 0; i < n; i++) {
    step();
    if (gc === undefined && i >= n * 0.8 && i % 50 === 0) least = Math.min(least, process.memoryUsage().heapUsed);
  }
  if (gc === undefined) return least;
  gc();
  return process.memoryUsage().heapUsed;
};

/** One fresh encoder-decoder pair, two blocks. */
const pair = (): void => {
  const e = createHpackEncoder();
  const d = createHpackDecoder();
  d.decode(e.encode(RESPONSE), 1);
  d.decode(e.encode(TRAILERS), 1);
};

/** One connection's worth of wire writer and reader, as each simulated replica creates. */
const connection = (): void => {
  const w = createWireWriter('server');
  const r = createWireReader('server', { preface: false });
  r.push(w.encode({ type: 'HEADERS', streamId: 1, endStream: false, kind: 'response' }));
  r.push(w.encode({ type: 'HEADERS', streamId: 1, endStream: true, kind: 'trailers' }));
};

describe('no per-instance retention in a synchronous loop', () => {
  it('200,000 encodings and decodings (100,000 fresh pairs) grow the heap by less than 20 MB', () => {
    const small = heapAfter(10_000, pair);
    const large = heapAfter(100_000, pair);
    expect((large - small) / MB).toBeLessThan(BOUND_MB);
  });
  it('40,000 fresh wire writer-reader pairs (one per simulated connection) grow the heap by less than 20 MB', () => {
    const small = heapAfter(4_000, connection);
    const large = heapAfter(40_000, connection);
    expect((large - small) / MB).toBeLessThan(BOUND_MB);
  });
});
