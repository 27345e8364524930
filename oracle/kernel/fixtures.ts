import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelRun } from './run-case.js';

/**
 * Recorded real runs, checked by `npm test`: `<case>.json` (everything but the captures) and
 * `<case>.client.pcap`, `<case>.server.pcap` (each host's own interface, libpcap).
 */
export const FIXTURE_DIR = fileURLToPath(new URL('../../test/fixtures/real-kernel/', import.meta.url));

export function fixtureExists(name: string, dir = FIXTURE_DIR): boolean {
  return existsSync(join(dir, `${name}.json`));
}

export function loadFixture(name: string, dir = FIXTURE_DIR): KernelRun {
  const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as Omit<KernelRun, 'pcap'>;
  return { ...meta, pcap: { client: readFileSync(join(dir, `${name}.client.pcap`)), server: readFileSync(join(dir, `${name}.server.pcap`)) } };
}

/**
 * Writes a run as a fixture (or, with `dir`, a live run kept for a look later); each file goes to
 * a temporary name first, so a failed write leaves the old one whole.
 */
export function saveFixture(run: KernelRun, dir = FIXTURE_DIR): void {
  mkdirSync(dir, { recursive: true });
  const { pcap, ...meta } = run;
  const put = (file: string, data: string | Buffer): void => {
    const path = join(dir, file);
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
  };
  put(`${run.case}.client.pcap`, pcap.client);
  put(`${run.case}.server.pcap`, pcap.server);
  put(`${run.case}.json`, `${JSON.stringify(meta, null, 1)}\n`);
}
