import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KernelRun } from './run-case.js';

/**
 * Recorded real runs, checked by `npm test`: `<case>.json` (everything but the captures) and
 * `<case>.client.pcap`, `<case>.server.pcap` (each host's own interface, libpcap).
 */
export const FIXTURE_DIR = fileURLToPath(new URL('../../test/fixtures/real-kernel/', import.meta.url));

export function fixtureExists(name: string): boolean {
  return existsSync(join(FIXTURE_DIR, `${name}.json`));
}

export function loadFixture(name: string): KernelRun {
  const meta = JSON.parse(readFileSync(join(FIXTURE_DIR, `${name}.json`), 'utf8')) as Omit<KernelRun, 'pcap'>;
  return { ...meta, pcap: { client: readFileSync(join(FIXTURE_DIR, `${name}.client.pcap`)), server: readFileSync(join(FIXTURE_DIR, `${name}.server.pcap`)) } };
}

/** Writes a run as a fixture; each file goes to a temporary name first, so a failed write leaves the old one whole. */
export function saveFixture(run: KernelRun): void {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const { pcap, ...meta } = run;
  const put = (file: string, data: string | Buffer): void => {
    const path = join(FIXTURE_DIR, file);
    writeFileSync(`${path}.tmp`, data);
    renameSync(`${path}.tmp`, path);
  };
  put(`${run.case}.client.pcap`, pcap.client);
  put(`${run.case}.server.pcap`, pcap.server);
  put(`${run.case}.json`, `${JSON.stringify(meta, null, 1)}\n`);
}
