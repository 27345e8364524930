/** Runs tshark when it is installed (Debian package `tshark`); tests that need it are skipped otherwise. */
import { spawnSync } from 'node:child_process';

export const hasTshark: boolean = spawnSync('tshark', ['--version'], { encoding: 'utf8' }).status === 0;

export const tshark = (args: readonly string[]): string => {
  const r = spawnSync('tshark', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
};
