import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';

/**
 * Runs the real `kpsim` CLI through tsx, as a user would (about half a second per spawn, so tests
 * group their cases and run the spawns of a group concurrently).
 */
export type CliRun = { readonly status: number | null; readonly stdout: string; readonly stderr: string };

const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

export function kpsim(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['src/cli/main.ts', ...args], { cwd: process.cwd(), env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A usage error: exit 2, nothing on stdout, exactly one stderr line starting `kpsim: `, no stack. */
export function expectOneLineError(r: CliRun): string {
  expect(r.status).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  const line = lines[0] ?? '';
  expect(line.startsWith('kpsim: ')).toBe(true);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return line;
}
