import { spawnSync } from 'node:child_process';

/**
 * The oracle's network: three network namespaces of its own, client -- router -- server, joined by
 * veth pairs with MTU 1500 (MSS 1448 with timestamps, kpsim's default) and segmentation offloads
 * off, so every packet on the wire is one TCP segment as the kernel built it. The router forwards;
 * faults are nftables drops in its forward chain (see path-faults.ts). Each side captures on its
 * own interface, so a packet the router dropped shows in its sender's capture only.
 *
 * Nothing here touches the host's own namespace beyond creating and deleting these three.
 */
export type Topology = {
  readonly prefix: string;
  readonly ns: { readonly client: string; readonly router: string; readonly server: string };
  readonly dev: { readonly client: string; readonly server: string };
  readonly addr: { readonly client: string; readonly server: string };
  readonly port: number;
};

export class OracleSetupError extends Error {
  override readonly name = 'OracleSetupError';
}

/** Runs one command; throws with its stderr if it fails. */
export function sh(cmd: string, args: readonly string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (r.error !== undefined) throw new OracleSetupError(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  if (r.status !== 0) throw new OracleSetupError(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** `ip netns exec NS cmd args...` */
export function inNs(ns: string, cmd: string, args: readonly string[]): string {
  return sh('ip', ['netns', 'exec', ns, cmd, ...args]);
}

/**
 * Creates the three namespaces. `slot` (0..63) keeps parallel runs apart: it picks the names and
 * the 10.200.<slot*4+k>.0/24 subnets.
 */
export function createTopology(slot: number): Topology {
  const prefix = `kpsim${process.pid}s${slot}`;
  const ns = { client: `${prefix}c`, router: `${prefix}r`, server: `${prefix}s` };
  const net = (k: number) => `10.200.${slot * 4 + k}`;
  const t: Topology = {
    prefix,
    ns,
    dev: { client: `${prefix}c0`, server: `${prefix}s0` },
    addr: { client: `${net(1)}.2`, server: `${net(2)}.2` },
    port: 50051,
  };
  destroyTopology(t);
  try {
    for (const n of Object.values(ns)) sh('ip', ['netns', 'add', n]);
    const rc = `${prefix}rc`;
    const rs = `${prefix}rs`;
    sh('ip', ['link', 'add', t.dev.client, 'type', 'veth', 'peer', 'name', rc]);
    sh('ip', ['link', 'add', t.dev.server, 'type', 'veth', 'peer', 'name', rs]);
    sh('ip', ['link', 'set', t.dev.client, 'netns', ns.client]);
    sh('ip', ['link', 'set', t.dev.server, 'netns', ns.server]);
    sh('ip', ['link', 'set', rc, 'netns', ns.router]);
    sh('ip', ['link', 'set', rs, 'netns', ns.router]);
    const up = (n: string, dev: string, cidr: string) => {
      sh('ip', ['-n', n, 'addr', 'add', cidr, 'dev', dev]);
      sh('ip', ['-n', n, 'link', 'set', dev, 'mtu', '1500', 'up']);
      inNs(n, 'ethtool', ['-K', dev, 'tso', 'off', 'gso', 'off', 'gro', 'off']);
    };
    up(ns.client, t.dev.client, `${t.addr.client}/24`);
    up(ns.router, rc, `${net(1)}.1/24`);
    up(ns.router, rs, `${net(2)}.1/24`);
    up(ns.server, t.dev.server, `${t.addr.server}/24`);
    for (const n of Object.values(ns)) sh('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
    sh('ip', ['-n', ns.client, 'route', 'add', 'default', 'via', `${net(1)}.1`]);
    sh('ip', ['-n', ns.server, 'route', 'add', 'default', 'via', `${net(2)}.1`]);
    inNs(ns.router, 'sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
  } catch (e) {
    destroyTopology(t);
    throw e;
  }
  return t;
}

export function destroyTopology(t: Topology): void {
  for (const n of Object.values(t.ns)) spawnSync('ip', ['netns', 'del', n], { timeout: 10_000 });
}

/** What the oracle needs on this machine, and the Debian package of each. */
export const ORACLE_TOOLS: readonly { readonly command: string; readonly pkg: string }[] = [
  { command: 'ip', pkg: 'iproute2' },
  { command: 'nft', pkg: 'nftables' },
  { command: 'tcpdump', pkg: 'tcpdump' },
  { command: 'ethtool', pkg: 'ethtool' },
  { command: 'go', pkg: 'golang-go' },
  { command: 'strace', pkg: 'strace' },
];

/** The tools missing here (empty when the oracle can run). */
export function missingTools(): string[] {
  return ORACLE_TOOLS.filter((t) => spawnSync('sh', ['-c', `command -v ${t.command}`]).status !== 0).map((t) => `${t.command} (${t.pkg})`);
}
