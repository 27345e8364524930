/**
 * HPACK (RFC 7541) through hpack.js: one encoder or decoder per direction of a connection, each
 * with its own dynamic table. The decoder turns every plain error hpack.js throws into an
 * HpackError and caps what a block may decode to, so a small block cannot expand into a huge list.
 *
 * hpack.js's Compressor and Decompressor are readable-stream Duplexes, and their public
 * `write()` ends every synchronous write with `process.nextTick(afterWrite, stream, ...)`. Until
 * the event loop turns, that queue keeps every stream written to alive: a synchronous loop of
 * 100,000 Monte Carlo replicas or fuzz inputs grew the heap by ~2 KB each. So we call the
 * stream's own `_write` (what `write()` calls, with the same arguments) and skip the Writable
 * bookkeeping: nothing is scheduled, and an encoder or decoder is garbage once unreferenced.
 */
import hpack from 'hpack.js';
import { HpackError } from './hpack-error.js';
import { HEADER_FIELD_OVERHEAD, type HeaderField, type HeaderList } from './header-list.js';
import { concatBytes } from '../lib/bytes.js';

/** SETTINGS_HEADER_TABLE_SIZE initial value (RFC 9113 section 6.5.2); grpc-go never changes it. */
export const DEFAULT_HEADER_TABLE_SIZE = 4096;
/** grpc-go's defaultServerMaxHeaderListSize / defaultClientMaxHeaderListSize (16 MiB). */
export const DEFAULT_MAX_HEADER_LIST_SIZE = 16 << 20;
/** Our cap on fields per block (grpc-go has none; its 16 MiB list cap allows ~500k empty fields). */
export const DEFAULT_MAX_HEADER_COUNT = 10_000;

/** Octets `s` takes as an HPACK Huffman string (RFC 7541 section 5.2, Appendix B), prefix excluded. */
export const huffmanLength = (s: string): number => {
  let bits = 0;
  for (let i = 0; i < s.length; i++) bits += hpack.huffman.encode[s.charCodeAt(i) & 0xff]?.[0] ?? 0;
  return Math.ceil(bits / 8);
};

export type HpackEncoderOptions = {
  /** Dynamic table size the peer's decoder allows. @default 4096 */
  readonly tableSize?: number;
};

export type HpackEncoder = {
  /** Encodes one header list into a header block, adding to the dynamic table as it goes. */
  readonly encode: (list: HeaderList) => Uint8Array;
};

/** The write callback of hpack.js's `_write`: both call it synchronously with `null`. */
const ignoreWriteDone = (): void => undefined;

/** Octet strings only: HPACK carries octets, and hpack.js would write a char above 0xff as two. */
const checkOctets = (what: string, s: string): void => {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0xff) throw new RangeError(`${what} ${JSON.stringify(s)} has a character above U+00FF at ${i}`);
  }
};

/**
 * Encodes as Go's hpack.Encoder (used by grpc-go) does: a field already in a table is indexed;
 * any other is a literal with incremental indexing unless it alone is larger than the table
 * (then a literal without indexing); a string is Huffman-coded when that is shorter.
 *
 * SIMPLIFICATION: hpack.js takes one Huffman choice per field, so the name follows the value's
 * choice where Go decides separately; names of gRPC headers are almost always indexed, and where
 * they are literal (te, grpc-*) both choices give the same length. And hpack.js searches the
 * dynamic table only back to the newest entry with the same name when that name is also in the
 * static table (e.g. a second `:path`), where Go would find an older exact match: a list with one
 * field per name (every gRPC list) is unaffected.
 */
export const createHpackEncoder = (options: HpackEncoderOptions = {}): HpackEncoder => {
  const tableSize = options.tableSize ?? DEFAULT_HEADER_TABLE_SIZE;
  const compressor = hpack.compressor.create({ table: { maxSize: tableSize } });
  let chunks: Uint8Array[] = [];
  compressor.push = (chunk: unknown): boolean => {
    if (chunk instanceof Uint8Array) chunks.push(chunk);
    return true;
  };
  return {
    encode: (list) => {
      const fields = list.map((f) => {
        checkOctets('header name', f.name);
        checkOctets('header value', f.value);
        const huffman = huffmanLength(f.value) < f.value.length;
        const incremental = f.name.length + f.value.length + HEADER_FIELD_OVERHEAD <= tableSize;
        return { name: f.name, value: f.value, huffman, incremental };
      });
      chunks = [];
      compressor._write(fields, 'buffer', ignoreWriteDone);
      const out = concatBytes(chunks);
      chunks = [];
      return out;
    },
  };
};

export type HpackDecoderOptions = {
  /** Our SETTINGS_HEADER_TABLE_SIZE: the largest dynamic table the peer may ask for. @default 4096 */
  readonly tableSize?: number;
  /** Largest decoded header list (RFC 9113 counting: name + value + 32 per field). @default 16 MiB */
  readonly maxHeaderListSize?: number;
  /** Most fields one block may decode to. @default 10000 */
  readonly maxHeaderCount?: number;
};

export type HpackDecoder = {
  /**
   * Decodes one complete header block. Throws HpackError ('compression-error',
   * 'header-list-too-large', 'too-many-headers'); after that the decoder's dynamic table is lost,
   * so every later call throws the same error (a connection error, RFC 9113 section 4.3).
   */
  readonly decode: (block: Uint8Array, streamId?: number) => HeaderList;
};

/**
 * SIMPLIFICATION: hpack.js accepts a dynamic table size update anywhere in a block, where RFC 7541
 * section 4.2 allows it only at the start; it does check the size against `tableSize`.
 */
export const createHpackDecoder = (options: HpackDecoderOptions = {}): HpackDecoder => {
  const maxSize = options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE;
  const maxCount = options.maxHeaderCount ?? DEFAULT_MAX_HEADER_COUNT;
  const decompressor = hpack.decompressor.create({ table: { maxSize: options.tableSize ?? DEFAULT_HEADER_TABLE_SIZE } });
  let fields: HeaderField[] = [];
  let size = 0;
  let streamId = 0;
  let failure: unknown;
  let broken: HpackError | undefined;
  // hpack.js hands each decoded field to push(); counting here stops a bomb mid-block.
  decompressor.push = (field: unknown): boolean => {
    const { name, value } = field as { name: string; value: string };
    size += name.length + value.length + HEADER_FIELD_OVERHEAD;
    if (size > maxSize) throw new HpackError('header-list-too-large', { streamId, detail: `more than ${maxSize} octets` });
    if (fields.length >= maxCount) throw new HpackError('too-many-headers', { streamId, detail: `more than ${maxCount} fields` });
    fields.push({ name, value });
    return true;
  };
  decompressor.on('error', (e) => {
    failure = e;
  });
  return {
    decode: (block, id = 0) => {
      if (broken !== undefined) throw broken;
      fields = [];
      size = 0;
      streamId = id;
      failure = undefined;
      if (block.length > 0) {
        try {
          // write() would copy a Uint8Array into a Buffer (the decoder reads Buffer slices); a view will do.
          decompressor._write(Buffer.from(block.buffer, block.byteOffset, block.byteLength), 'buffer', ignoreWriteDone);
          decompressor.execute();
        } catch (e) {
          failure = e;
        }
      }
      if (failure !== undefined) {
        broken =
          failure instanceof HpackError
            ? failure
            : new HpackError('compression-error', { streamId: id, detail: failure instanceof Error ? failure.message : String(failure) });
        throw broken;
      }
      const out = fields;
      fields = [];
      return out;
    },
  };
};
