import type { Actor } from '../conn/types.js';
import type { Fault, Scenario } from '../scenario/schema.js';
import { formatDuration } from '../time/duration.js';
import type { Rng } from '../time/rng.js';
import { SECOND, type Nanos } from '../time/units.js';
import type { LinkConfig } from '../transport/scripted-link.js';
import { LINUX_TCP } from '../transport/linux/sysctl-defaults.js';
import { linuxFeaturesOf, parseLinuxVersion } from '../transport/linux/kernel-version.js';
import type { KeepaliveSettings as TcpKeepaliveConfig } from '../transport/linux/socket-types.js';
import { featuresOf, parseGrpcGoVersion } from '../keepalive/versions.js';
import type { NetworkModel } from './network.js';
import { createScriptedNetwork } from './network-scripted.js';
import { createTcpNetwork, type HostKernel, type TcpLinkConfig } from './network-tcp.js';
import { scenarioFrameWire } from './frame-wire.js';
import type { PacketObserver } from './packet-record.js';

/**
 * Go turns TCP keepalive on for every connection it dials or accepts: idle and interval 15 s
 * (net.Dialer and net.ListenConfig with KeepAlive 0), probe count left to the system (Linux 9).
 */
export const GO_DEFAULT_TCP_KEEPALIVE: TcpKeepaliveConfig = { idle: 15 * SECOND, interval: 15 * SECOND, count: LINUX_TCP.keepaliveProbes };

/** SO_KEEPALIVE with Linux's sysctl defaults: tcp_keepalive_time 7200 s, tcp_keepalive_intvl 75 s, tcp_keepalive_probes 9. */
export const OS_DEFAULT_TCP_KEEPALIVE: TcpKeepaliveConfig = { idle: LINUX_TCP.keepaliveTime, interval: LINUX_TCP.keepaliveIntvl, count: LINUX_TCP.keepaliveProbes };

/**
 * The kernel TCP keepalive on one side's socket. `grpc-default` is what grpc-go's own code path
 * gives: the server's accepted sockets keep Go's listener default; the client's dialer is Go's
 * default before v1.60.0 and SO_KEEPALIVE with the OS defaults since (`clientDialerTcpKeepalive`).
 */
export function tcpKeepaliveOf(sc: Scenario, a: Actor): TcpKeepaliveConfig | undefined {
  const k = sc[a].tcpKeepalive;
  switch (k) {
    case 'off':
      return undefined;
    case 'go-default':
      return GO_DEFAULT_TCP_KEEPALIVE;
    case 'os-default':
      return OS_DEFAULT_TCP_KEEPALIVE;
    case 'grpc-default':
      if (a === 'server') return GO_DEFAULT_TCP_KEEPALIVE;
      return featuresOf(parseGrpcGoVersion(sc.client.version)).clientDialerTcpKeepalive === 'os' ? OS_DEFAULT_TCP_KEEPALIVE : GO_DEFAULT_TCP_KEEPALIVE;
    default:
      return k;
  }
}

type Dir = 'clientToServer' | 'serverToClient';
const DIR_OF: Readonly<Record<Actor, Dir>> = { client: 'clientToServer', server: 'serverToClient' };

/** The network a scenario describes: TCP (default) or the foundation's scripted delivery. */
export function buildNetwork(sc: Scenario, userTimeout: Readonly<Record<Actor, Nanos | undefined>>, rng: Rng, onPacket?: PacketObserver): NetworkModel {
  const label = (i: number, text: string): string => `fault #${i + 1}: ${text}`;
  const holds = (dir: Dir) =>
    sc.faults.flatMap((f, i) =>
      f.type === 'delayFrame' && f.direction === dir
        ? [{ frame: f.frame, ping: f.ping, nth: f.nth, by: f.by, label: label(i, `${f.ping === undefined ? '' : `${f.ping} `}${f.frame} #${f.nth} held ${formatDuration(f.by)}`) }]
        : [],
    );
  const blackholes = (dir: Dir) => sc.faults.flatMap((f, i) => outages(f, dir).map((o) => ({ downUntil: o.downUntil, label: label(i, o.what) })));

  if (sc.network.model === 'scripted') {
    const link = (dir: Dir): LinkConfig => ({ delay: sc.network[dir].delay.base, delayFrames: holds(dir), blackholes: blackholes(dir) });
    return createScriptedNetwork({ client: link('clientToServer'), server: link('serverToClient') });
  }
  const link = (dir: Dir): TcpLinkConfig => ({
    delay: sc.network[dir].delay,
    loss: sc.network[dir].loss,
    bitsPerSecond: sc.network[dir].rate,
    holds: holds(dir),
    drops: sc.faults.flatMap((f, i) =>
      f.type === 'loseFrame' && f.direction === dir
        ? [{ frame: f.frame, ping: f.ping, nth: f.nth, times: f.times, label: label(i, `${f.ping === undefined ? '' : `${f.ping} `}${f.frame} #${f.nth} lost ${f.times}x`) }]
        : [],
    ),
    blackholes: blackholes(dir),
  });
  const kernelRng = rng.fork(30);
  return createTcpNetwork(
    {
      links: { client: link(DIR_OF.client), server: link(DIR_OF.server) },
      kernel: { client: hostKernel(sc, 'client', kernelRng), server: hostKernel(sc, 'server', kernelRng) },
      userTimeout,
      keepalive: { client: tcpKeepaliveOf(sc, 'client'), server: tcpKeepaliveOf(sc, 'server') },
      nat: sc.network.nat,
      mss: sc.network.tcp.mss,
      retries2: sc.network.tcp.retries2,
      onPacket,
      wire: scenarioFrameWire(sc),
    },
    rng,
  );
}

/**
 * One side's kernel: its version's TCP features, its tick rate, and where the run starts on its
 * tick grid (drawn from the run's generator unless the scenario fixes it: a real host is
 * anywhere on it when a connection starts, and where decides when its timers fire).
 */
export function hostKernel(sc: Scenario, a: Actor, rng: Rng): HostKernel {
  const k = sc[a].kernel;
  const tickNs = 1e9 / k.hz;
  const jiffies = rng.nextU32();
  const phase = Math.floor(rng.nextFloat() * tickNs);
  return {
    features: linuxFeaturesOf(parseLinuxVersion(k.version)),
    hz: k.hz,
    jiffiesAtStart: k.jiffies ?? jiffies,
    phaseNs: k.tickPhase === undefined ? phase : Math.min(tickNs - 1, k.tickPhase),
  };
}

/** The outages of direction `dir` that one fault causes. */
function outages(f: Fault, dir: Dir): { downUntil: (t: Nanos) => Nanos | undefined; what: string }[] {
  const window = (from: Nanos, until: Nanos) => (t: Nanos) => (t >= from && t < until ? until : undefined);
  switch (f.type) {
    case 'blackhole':
      return f.direction === dir ? [{ downUntil: window(f.from, f.until), what: `blackhole until ${formatDuration(f.until)}` }] : [];
    case 'partition':
      return f.direction === 'both' || f.direction === dir ? [{ downUntil: window(f.from, f.until), what: `partition until ${formatDuration(f.until)}` }] : [];
    case 'flap': {
      if (f.direction !== 'both' && f.direction !== dir) return [];
      const { from, every, down } = f;
      const end = f.until ?? Number.MAX_SAFE_INTEGER;
      // Down for `down` at the start of every period of `every`, from `from` until `until`.
      const downUntil = (t: Nanos): Nanos | undefined => {
        if (t < from || t >= end) return undefined;
        const start = from + Math.floor((t - from) / every) * every;
        return t < start + down ? Math.min(start + down, end) : undefined;
      };
      return [{ downUntil, what: `link flap (down ${formatDuration(down)} every ${formatDuration(every)})` }];
    }
    default:
      return [];
  }
}
