/**
 * Characters a terminal obeys or that break a line, as a regular-expression class body: the C0
 * controls, DEL and the C1 controls, the line and paragraph separators, and the bidirectional
 * embeddings, overrides and isolates. Defined once for everything that checks or escapes text.
 */
const ABOVE_C0 = '\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';

/** Any of them. */
export const CONTROL_CHAR = new RegExp(`[\\u0000-\\u001f${ABOVE_C0}]`, 'u');
/** Any of them, for replace(). */
export const CONTROL_CHARS = new RegExp(`[\\u0000-\\u001f${ABOVE_C0}]`, 'gu');
/** The ones JSON.stringify writes raw (it escapes the C0 controls itself), for replace(). */
export const CONTROL_CHARS_JSON_KEEPS = new RegExp(`[${ABOVE_C0}]`, 'gu');
