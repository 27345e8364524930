/**
 * Every input a fuzz campaign ever found failing is kept under fuzz/regressions/TARGET/ and must
 * now pass its target's check (a typed error for malformed input is a pass; a crash is not).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadTargets } from '../../fuzz/targets.js';

const targets = await loadTargets();
const root = new URL('../../fuzz/regressions/', import.meta.url);

describe('fuzz regressions', () => {
  it('every regression directory names a target', () => {
    const names = new Set(targets.map((t) => t.name));
    const dirs = existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name) : [];
    expect(dirs.filter((d) => !names.has(d))).toEqual([]);
  });
  for (const t of targets) {
    const dir = new URL(`${t.name}/`, root);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.')).sort() : [];
    for (const f of files) {
      it(`${t.name}: ${f} passes`, () => {
        expect(() => t.check(t.load(new Uint8Array(readFileSync(new URL(f, dir)))))).not.toThrow();
      });
    }
  }
});
