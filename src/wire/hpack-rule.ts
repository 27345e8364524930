/**
 * The rules a header block can break: HPACK decoding (RFC 7541, a connection error of type
 * COMPRESSION_ERROR, RFC 9113 section 4.3), the limits we set against header-list bombs, the
 * CONTINUATION sequencing of RFC 9113 section 6.10, and the field-section checks of section 8.
 */
import type { ErrorScope } from './frame-rule.js';

/** The RFC 9113 section 7 error codes these rules call for. */
export const HPACK_ERROR_CODES = {
  PROTOCOL_ERROR: 0x1,
  COMPRESSION_ERROR: 0x9,
} as const;
export type HpackErrorCodeName = keyof typeof HPACK_ERROR_CODES;

export type HpackRuleInfo = {
  /** 'RFC 7541 section 5.2', 'RFC 9113 section 6.10', or 'kpsim' for our own limits. */
  readonly source: string;
  readonly errorName: HpackErrorCodeName;
  readonly scope: ErrorScope;
  readonly summary: string;
};

export const HPACK_RULES = {
  'compression-error': {
    source: 'RFC 9113 section 4.3, RFC 7541',
    errorName: 'COMPRESSION_ERROR',
    scope: 'connection',
    summary: 'header block cannot be decoded',
  },
  'header-list-too-large': {
    source: 'RFC 9113 section 10.5.1',
    errorName: 'PROTOCOL_ERROR',
    scope: 'connection',
    summary: 'decoded header list exceeds the maximum header list size',
  },
  'too-many-headers': {
    source: 'kpsim limit (RFC 9113 section 10.5.1)',
    errorName: 'PROTOCOL_ERROR',
    scope: 'connection',
    summary: 'header block decodes to more fields than allowed',
  },
  'header-block-too-large': {
    source: 'kpsim limit (RFC 9113 section 10.5.1)',
    errorName: 'PROTOCOL_ERROR',
    scope: 'connection',
    summary: 'encoded header block (HEADERS + CONTINUATION) exceeds the limit',
  },
  'continuation-expected': {
    source: 'RFC 9113 section 6.10',
    errorName: 'PROTOCOL_ERROR',
    scope: 'connection',
    summary: 'a header block is open, but the frame is not a CONTINUATION on its stream',
  },
  'continuation-unexpected': {
    source: 'RFC 9113 section 6.10',
    errorName: 'PROTOCOL_ERROR',
    scope: 'connection',
    summary: 'CONTINUATION without an open header block',
  },
  'field-name-invalid': {
    source: 'RFC 9113 section 8.2.1',
    errorName: 'PROTOCOL_ERROR',
    scope: 'stream',
    summary: 'field name is empty, has uppercase letters, or characters outside the token set',
  },
  'field-value-invalid': {
    source: 'RFC 9113 section 8.2.1',
    errorName: 'PROTOCOL_ERROR',
    scope: 'stream',
    summary: 'field value contains NUL, CR or LF',
  },
  'pseudo-header-after-regular': {
    source: 'RFC 9113 section 8.3',
    errorName: 'PROTOCOL_ERROR',
    scope: 'stream',
    summary: 'pseudo-header field after a regular field',
  },
} as const satisfies Record<string, HpackRuleInfo>;

export type HpackRule = keyof typeof HPACK_RULES;

export const HPACK_RULE_NAMES = Object.keys(HPACK_RULES) as readonly HpackRule[];
