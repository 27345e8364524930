import { ScenarioError } from './errors.js';

/** Deeper nesting than this is refused: no scenario needs more than a handful of levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * Checks what JSON.parse lets through or cannot survive, before it runs: nesting deeper than
 * MAX_JSON_DEPTH (a deep enough array overflows the stack of any recursive reader), and a key given
 * twice in one object (JSON.parse keeps the last silently). One pass over the text, no recursion.
 * Text that is not JSON is left to JSON.parse, which names the error; the scan just stops there.
 */
export function checkJsonStructure(text: string, source: string): void {
  // One entry per open object or array: an object's keys so far and the key being read.
  const stack: { keys: Set<string> | undefined; path: string; index: number }[] = [];
  let expectKey = false;
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      if (end < 0) return;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys !== undefined) {
        let key: string;
        try {
          key = JSON.parse(text.slice(i, end + 1)) as string;
        } catch {
          return;
        }
        if (top.keys.has(key)) throw new ScenarioError(`${source}: ${where(text, i)}: ${top.path === '' ? '' : `${top.path}: `}key ${JSON.stringify(key)} is given twice (JSON keeps only the last; remove one)`, { source, path: top.path });
        top.keys.add(key);
        lastKey = key;
        expectKey = false;
      }
      i = end;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (stack.length >= MAX_JSON_DEPTH) throw new ScenarioError(`${source}: ${where(text, i)}: nested more than ${MAX_JSON_DEPTH} levels deep`, { source, path: '' });
      const parent = stack[stack.length - 1];
      const name = parent === undefined ? '' : parent.keys !== undefined ? lastKey : String(parent.index);
      const path = parent === undefined ? '' : parent.path === '' ? name : `${parent.path}.${name}`;
      stack.push({ keys: c === 0x7b ? new Set() : undefined, path, index: 0 });
      expectKey = c === 0x7b;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      const top = stack[stack.length - 1];
      if (top !== undefined && top.keys === undefined) top.index++;
      expectKey = top?.keys !== undefined;
    }
  }
}

/** The index of the quote closing the string that opens at `start`; -1 if it never closes. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x22) return i;
  }
  return -1;
}

/** `line 3, column 8` (1-based) of a UTF-16 offset. */
function where(text: string, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${offset - lineStart + 1}`;
}
