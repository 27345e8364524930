import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OracleSetupError, sh } from './topology.js';

/** The Debian packages the Go harness builds against (GOPATH mode, offline). */
export const GO_PACKAGES = ['golang-go', 'golang-google-grpc-dev', 'golang-golang-x-net-dev', 'golang-golang-x-sys-dev'] as const;

const SOURCE = fileURLToPath(new URL('../grpc-go/harness.go', import.meta.url));
const GOPATH_SYSTEM = '/usr/share/gocode';

/** grpc-go's version as the GOPATH holds it (version.go's constant). */
export function grpcGoVersion(): string {
  const file = join(GOPATH_SYSTEM, 'src/google.golang.org/grpc/version.go');
  if (!existsSync(file)) throw new OracleSetupError(`no grpc-go in ${GOPATH_SYSTEM} (install ${GO_PACKAGES.join(' ')})`);
  const m = /Version = "([^"]+)"/.exec(readFileSync(file, 'utf8'));
  if (m === null) throw new OracleSetupError(`cannot read grpc-go's version from ${file}`);
  return m[1] as string;
}

/**
 * Builds the harness once per source version (cached under the system's temp directory by the
 * hash of the source and of grpc-go's version) and returns the binary's path.
 */
export function buildHarness(): string {
  const version = grpcGoVersion();
  const hash = createHash('sha256').update(readFileSync(SOURCE)).update(version).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'kpsim-oracle');
  const bin = join(dir, `harness-${hash}`);
  if (existsSync(bin)) return bin;
  mkdirSync(join(dir, 'gopath'), { recursive: true });
  const env = { GO111MODULE: 'off', GOPATH: `${join(dir, 'gopath')}:${GOPATH_SYSTEM}`, GOPROXY: 'off', GOFLAGS: '' };
  const prev = { ...process.env };
  Object.assign(process.env, env);
  try {
    sh('go', ['build', '-o', bin, SOURCE]);
  } finally {
    for (const k of Object.keys(env)) {
      if (prev[k] === undefined) delete process.env[k];
      else process.env[k] = prev[k];
    }
  }
  return bin;
}
