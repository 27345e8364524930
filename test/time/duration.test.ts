import { describe, expect, it } from 'vitest';
import { DurationSyntaxError, formatDuration, parseDuration } from '../../src/time/duration.js';
import { HOUR, MICROSECOND, MILLISECOND, MINUTE, SECOND } from '../../src/time/units.js';

describe('parseDuration (Go time.ParseDuration)', () => {
  it.each([
    ['0', 0],
    ['5s', 5 * SECOND],
    ['30s', 30 * SECOND],
    ['1h2m3.5s', HOUR + 2 * MINUTE + 3.5 * SECOND],
    ['250ms', 250 * MILLISECOND],
    ['1.5µs', 1_500],
    ['1.5μs', 1_500], // Greek mu, which Go also accepts
    ['300us', 300 * MICROSECOND],
    ['.5s', 500 * MILLISECOND],
    ['1.s', SECOND],
    ['+5s', 5 * SECOND],
    ['10ns', 10],
    ['1.004s', 1_004 * MILLISECOND],
    ['100.00100s', 100 * SECOND + MILLISECOND],
    ['3h30m', 3 * HOUR + 30 * MINUTE],
    ['10.5s4m', 4 * MINUTE + 10.5 * SECOND],
    ['1h1m1s1ms1us1ns', HOUR + MINUTE + SECOND + MILLISECOND + MICROSECOND + 1],
    ['0s', 0],
    ['0.0000000005s', 1], // rounds to the nearest nanosecond
  ])('parses %j as %d ns', (text, ns) => {
    expect(parseDuration(text)).toBe(ns);
  });

  it.each([
    ['5 sec', 'invalid duration "5 sec"'],
    ['-1s', 'negative duration "-1s"'],
    ['', 'empty duration'],
    ['1.5', 'invalid duration "1.5" (missing unit: use ns, us, ms, s, m or h)'],
    ['3', 'invalid duration "3" (missing unit: use ns, us, ms, s, m or h)'],
    ['s', 'invalid duration "s"'],
    ['.', 'invalid duration "."'],
    ['.s', 'invalid duration ".s"'],
    ['+', 'invalid duration "+"'],
    ['1d', 'invalid duration "1d"'],
    ['5S', 'invalid duration "5S"'],
  ])('rejects %j: %s', (text, message) => {
    expect(() => parseDuration(text)).toThrow(DurationSyntaxError);
    expect(() => parseDuration(text)).toThrow(message);
  });

  it('rejects a duration beyond the exact range of a number of nanoseconds', () => {
    expect(() => parseDuration('3000h')).toThrow('duration "3000h" is too large');
  });
});

describe('formatDuration (Go time.Duration.String)', () => {
  it.each([
    [0, '0s'],
    [1, '1ns'],
    [1_500, '1.5µs'],
    [250 * MILLISECOND, '250ms'],
    [1_001 * MILLISECOND, '1.001s'],
    [1.5 * SECOND, '1.5s'],
    [61 * SECOND, '1m1s'],
    [90 * SECOND, '1m30s'],
    [MINUTE, '1m0s'],
    [HOUR, '1h0m0s'],
    [2 * HOUR, '2h0m0s'],
    [HOUR + 2 * MINUTE + 3.5 * SECOND, '1h2m3.5s'],
    [-1.5 * SECOND, '-1.5s'],
  ])('formats %d ns as %j', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });

  it('uses the micro sign U+00B5, as Go does', () => {
    expect(formatDuration(2 * MICROSECOND)).toBe('2\u00b5s');
  });

  it.each(['1h2m3.5s', '250ms', '1.5µs', '1m30s', '0s', '36h0m0.000000001s'])('round-trips %j', (text) => {
    expect(formatDuration(parseDuration(text))).toBe(text);
  });
});
