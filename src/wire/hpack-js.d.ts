/**
 * The parts of hpack.js 2.1.6 (CommonJS, untyped) that src/wire/hpack-codec.ts uses. Compressor and
 * Decompressor are readable-stream Duplexes; we drive them synchronously through their `_write`
 * (the public `write()` schedules a nextTick that keeps the stream alive until the event loop
 * turns) and take their output by replacing `push` on the instance (both call `this.push(...)`
 * once per output chunk or header).
 */
declare module 'hpack.js' {
  type HpackJsField = { name: string; value: string; huffman?: boolean; neverIndex?: boolean; incremental?: boolean };
  type HpackJsTableOptions = { table: { maxSize: number } };

  interface HpackJsCompressor {
    /** Encodes one header list; output chunks go through `push`, then `done(null)`, synchronously. */
    _write(list: HpackJsField[], encoding: string, done: (error: null) => void): void;
    push(chunk: unknown): boolean;
    updateTableSize(size: number): void;
  }

  interface HpackJsDecompressor {
    /** Queues a block for `execute`, then `done(null)`, synchronously. */
    _write(chunk: Buffer, encoding: string, done: (error: null) => void): void;
    /** Decodes everything written so far; each field goes through `push`, a failure to the 'error' event. */
    execute(): void;
    push(field: unknown): boolean;
    on(event: 'error', listener: (error: unknown) => void): this;
    updateTableSize(size: number): void;
  }

  const hpack: {
    compressor: { create(options: HpackJsTableOptions): HpackJsCompressor };
    decompressor: { create(options: HpackJsTableOptions): HpackJsDecompressor };
    /** RFC 7541 Appendix B: per octet, [code length in bits, code]. */
    huffman: { encode: readonly (readonly [number, number])[] };
  };
  export = hpack;
}
