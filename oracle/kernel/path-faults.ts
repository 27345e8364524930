import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { OracleSetupError, type Topology } from './topology.js';

/** One direction of the path, named as kpsim's scenarios name it. */
export type PathDirection = 'clientToServer' | 'serverToClient';

/**
 * Drops on the router, per direction: an nftables set per direction holds the sender's address
 * while that direction is down, and the forward chain drops whatever comes from an address in it.
 * An element is added with a timeout, so the outage ends in the kernel exactly that long after it
 * began (to the jiffy), whatever this process is doing then. Commands go through one long-lived
 * `nft -i`, which applies a rule in about a millisecond (a separate `nft` per rule costs 10-30 ms).
 */
export type PathFaults = {
  /** Takes `direction` down for `forMs` from now; resolves when the rule is in place. */
  down(direction: PathDirection, forMs: number): Promise<void>;
  close(): void;
};

const SET: Readonly<Record<PathDirection, string>> = { clientToServer: 'c2s', serverToClient: 's2c' };

export function loadPathFaults(t: Topology): PathFaults {
  const table = [
    'table inet kpsim {',
    '  set c2s { type ipv4_addr; flags timeout; }',
    '  set s2c { type ipv4_addr; flags timeout; }',
    '  chain path { type filter hook forward priority 0; policy accept;',
    '    ip saddr @c2s counter drop',
    '    ip saddr @s2c counter drop',
    '  }',
    '}',
  ].join('\n');
  const load = spawnSync('ip', ['netns', 'exec', t.ns.router, 'nft', '-f', '-'], { input: table, encoding: 'utf8', timeout: 10_000 });
  if (load.status !== 0) throw new OracleSetupError(`nft -f: ${load.stderr.trim() || load.error?.message}`);
  const nft: ChildProcessWithoutNullStreams = spawn('ip', ['netns', 'exec', t.ns.router, 'nft', '-i'], { stdio: 'pipe' });
  let buffered = '';
  let waiting: { marker: string; resolve: () => void; reject: (e: Error) => void } | undefined;
  nft.stdout.setEncoding('utf8');
  nft.stdout.on('data', (chunk: string) => {
    buffered += chunk;
    if (waiting !== undefined && buffered.includes(waiting.marker)) {
      const w = waiting;
      waiting = undefined;
      buffered = '';
      w.resolve();
    }
  });
  nft.stderr.setEncoding('utf8');
  let errors = '';
  nft.stderr.on('data', (chunk: string) => {
    errors += chunk;
    // nft reports an error over several lines; give the rest a moment to arrive.
    if (waiting !== undefined) {
      const w = waiting;
      waiting = undefined;
      setTimeout(() => w.reject(new OracleSetupError(`nft: ${errors.trim()}`)), 50);
    }
  });
  const run = (commands: string, marker: string): Promise<void> =>
    new Promise((resolve, reject) => {
      waiting = { marker, resolve, reject };
      nft.stdin.write(commands);
    });
  const source: Readonly<Record<PathDirection, string>> = { clientToServer: t.addr.client, serverToClient: t.addr.server };
  return {
    async down(direction, forMs) {
      const set = SET[direction];
      await run(`add element inet kpsim ${set} { ${source[direction]} timeout ${Math.round(forMs)}ms }\nlist set inet kpsim ${set}\n`, 'expires');
    },
    close() {
      nft.stdin.end();
      nft.kill();
    },
  };
}
