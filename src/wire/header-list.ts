/**
 * Header lists (RFC 9113 section 8.2, RFC 7541 section 1.3): ordered name/value pairs. Names and
 * values are strings of octets, one char per octet (latin1), as HPACK carries them; gRPC's own
 * headers are ASCII.
 */
import { HpackError } from './hpack-error.js';

export type HeaderField = { readonly name: string; readonly value: string };
export type HeaderList = readonly HeaderField[];

/** Per-field overhead in the header list size (RFC 9113 section 6.5.2, RFC 7541 section 4.1). */
export const HEADER_FIELD_OVERHEAD = 32;

/** SETTINGS_MAX_HEADER_LIST_SIZE as RFC 9113 counts it: name + value octets + 32 per field. */
export const headerListSize = (list: HeaderList): number =>
  list.reduce((n, f) => n + f.name.length + f.value.length + HEADER_FIELD_OVERHEAD, 0);

/** The first value of `name`, or undefined. */
export const headerValue = (list: HeaderList, name: string): string | undefined => list.find((f) => f.name === name)?.value;

// RFC 9110 tchar, lowercase only (RFC 9113 section 8.2.1 forbids uppercase in HTTP/2 names).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;
const BAD_VALUE = /[\0\r\n]/;

/**
 * Checks a decoded field section the way RFC 9113 section 8.2.1 and 8.3 make a request or
 * response malformed (a stream error): names are lowercase tokens (pseudo-headers `:` + token),
 * values have no NUL, CR or LF, and pseudo-headers come before regular fields.
 *
 * SIMPLIFICATION: leading/trailing whitespace in values, and which pseudo-headers a request or
 * response must carry, are not checked (grpc-go's Go HTTP/2 stack does not check them either).
 */
export const checkFieldSection = (list: HeaderList, streamId: number): void => {
  let regularSeen = false;
  for (const [i, f] of list.entries()) {
    const pseudo = f.name.startsWith(':');
    if (!TOKEN.test(pseudo ? f.name.slice(1) : f.name)) {
      throw new HpackError('field-name-invalid', { streamId, detail: `field ${i} name ${JSON.stringify(f.name)}` });
    }
    if (BAD_VALUE.test(f.value)) {
      throw new HpackError('field-value-invalid', { streamId, detail: `field ${i} (${f.name})` });
    }
    if (pseudo && regularSeen) {
      throw new HpackError('pseudo-header-after-regular', { streamId, detail: `field ${i} (${f.name})` });
    }
    if (!pseudo) regularSeen = true;
  }
};
