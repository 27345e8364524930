import { CONTROL_CHARS } from '../lib/control-chars.js';

/**
 * Untrusted text (anything read from a capture: GOAWAY debug data, HPACK error details, ...) made
 * safe to print on one line of a terminal: every C0 control (U+0000-U+001F, newline and tab
 * included), DEL and the C1 controls (U+007F-U+009F), the line and paragraph separators
 * (U+2028, U+2029) and the bidirectional embedding, override and isolate controls (U+202A-U+202E,
 * U+2066-U+2069) become visible escapes: `\x1b` below U+0100, `\u{202e}` above. Everything else,
 * non-ASCII letters included, is left as it is. Printable ASCII never changes, so applying it
 * twice is the same as once.
 */

export function safeText(s: string): string {
  return s.replace(CONTROL_CHARS, (c) => {
    const code = c.codePointAt(0) as number;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
