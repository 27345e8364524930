import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/report/safe-text.js';

describe('safeText', () => {
  it('escapes a terminal escape sequence as visible text', () => {
    expect(safeText('\x1b[2J\x1b]0;owned\x07')).toBe('\\x1b[2J\\x1b]0;owned\\x07');
  });

  it('escapes every C0 control, newline and tab included, DEL and the C1 controls', () => {
    for (let c = 0; c < 0x20; c++) expect(safeText(String.fromCharCode(c))).toBe(`\\x${c.toString(16).padStart(2, '0')}`);
    expect(safeText('a\nb\tc\r')).toBe('a\\x0ab\\x09c\\x0d');
    expect(safeText('\x7f\x80\x9b\x9f')).toBe('\\x7f\\x80\\x9b\\x9f');
  });

  it('escapes line separators and bidi controls as \\u{...}', () => {
    expect(safeText('\u2028\u2029')).toBe('\\u{2028}\\u{2029}');
    expect(safeText('evil\u202egnp.exe')).toBe('evil\\u{202e}gnp.exe');
    for (const c of [0x202a, 0x202b, 0x202c, 0x202d, 0x2066, 0x2067, 0x2068, 0x2069]) expect(safeText(String.fromCodePoint(c))).toBe(`\\u{${c.toString(16)}}`);
  });

  it('leaves printable text alone, non-ASCII letters, symbols and emoji included', () => {
    const s = 'too_many_pings [::1]:50051 «Grüße» 100µs ← → 日本語 \u00a0\u00ff\u200b\u2030\u206a 😀 \\x1b';
    expect(safeText(s)).toBe(s);
  });

  it('is idempotent', () => {
    const once = safeText('\x00\x1b\x9b\u202e\n');
    expect(safeText(once)).toBe(once);
  });
});
