import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FuzzTarget } from './target.js';

/** Every target in fuzz/targets/, sorted by name. */
export async function loadTargets(): Promise<FuzzTarget[]> {
  const dir = fileURLToPath(new URL('./targets/', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts')).sort();
  const out: FuzzTarget[] = [];
  for (const f of files) {
    const mod = (await import(new URL(`./targets/${f}`, import.meta.url).href)) as { target?: FuzzTarget };
    if (mod.target === undefined) throw new Error(`fuzz/targets/${f} exports no \`target\``);
    out.push(mod.target);
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}
