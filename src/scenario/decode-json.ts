import { ScenarioError } from './errors.js';
import { checkJsonStructure } from './json-structure.js';

/**
 * Decodes scenario JSON text (a leading byte-order mark is allowed). A syntax error becomes a
 * `ScenarioError` naming the line and column: `seed.json: line 3, column 8: invalid JSON: ...`.
 */
export function decodeScenarioJson(text: string, source: string): unknown {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  checkJsonStructure(body, source);
  try {
    return JSON.parse(body) as unknown;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    const { reason, offset } = explain(e.message, body);
    const where = offset === undefined ? '' : ` ${formatLineAndColumn(body, offset)}:`;
    throw new ScenarioError(`${source}:${where} invalid JSON: ${reason}`, { source, path: '' });
  }
}

const POSITION = /\s+(?:in JSON )?at position (\d+)(?: \(line \d+ column \d+\))?$/;
const SNIPPET = /, ".*" is not valid JSON$/s;
const END = 'Unexpected end of JSON input';

/**
 * V8's messages name a character offset ("... in JSON at position 42"), except "Unexpected token
 * 'x', "<text>" is not valid JSON", which has none: then the offset is found by parsing prefixes.
 */
function explain(message: string, text: string): { reason: string; offset: number | undefined } {
  const m = POSITION.exec(message);
  if (m !== null) return { reason: message.slice(0, m.index), offset: Number(m[1]) };
  if (message === END) return { reason: message, offset: text.length };
  const reason = message.replace(SNIPPET, '');
  return { reason, offset: firstBadOffset(text) };
}

/**
 * The offset of the first character no valid JSON text can have there: the shortest prefix that is
 * already wrong (not merely unfinished) ends with it. Being wrong is monotone in the prefix length,
 * so a binary search finds it.
 */
function firstBadOffset(text: string): number | undefined {
  if (!isWrong(text)) return undefined;
  let lo = 0; // isWrong(text.slice(0, lo)) is false
  let hi = text.length; // isWrong(text.slice(0, hi)) is true
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (isWrong(text.slice(0, mid))) hi = mid;
    else lo = mid;
  }
  return hi - 1;
}

/** True when `prefix` has an error before its end (an error at its end only means unfinished). */
function isWrong(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (e) {
    const message = e instanceof Error ? e.message : '';
    if (message === END) return false;
    const m = POSITION.exec(message);
    return m === null || Number(m[1]) < prefix.length;
  }
}

/** `line 3, column 8` (1-based) for a UTF-16 offset into `text`. */
function formatLineAndColumn(text: string, offset: number): string {
  const lines = text.slice(0, Math.min(offset, text.length)).split('\n');
  const last = lines[lines.length - 1] ?? '';
  return `line ${lines.length}, column ${last.length + 1}`;
}
