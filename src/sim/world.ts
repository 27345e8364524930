import { createClientConn, clientMachine, clientPrefaceFrames } from '../conn/client-conn.js';
import { createServerConn, serverMachine, serverPrefaceFrames } from '../conn/server-conn.js';
import type { Actor, ConnAction, ConnEvent, ConnMachine, TimerName } from '../conn/types.js';
import { frameCountKey, type Frame } from '../frames/frame.js';
import { normalizeClient, normalizeServer, type ClientKeepaliveConfig, type ServerKeepaliveConfig } from '../keepalive/params.js';
import { featuresOf, parseGrpcGoVersion } from '../keepalive/versions.js';
import type { Scenario } from '../scenario/schema.js';
import { formatDuration } from '../time/duration.js';
import { assertNever } from '../lib/assert-never.js';
import { EventQueue } from '../time/event-queue.js';
import { createRng } from '../time/rng.js';
import type { Nanos } from '../time/units.js';
import { createLink, departFrame, departSignal, type Direction, type LinkConfig, type LinkState } from '../transport/scripted-link.js';
import { sideOutcome } from './side-outcome.js';
import type { Outcome } from './outcome.js';
import { diffWatch, type StateValue, type TraceAction, type TraceRecord, type WorldEvent } from './trace.js';
import { onRequestReceived, planWorkload, runJob, type Job, type WorkloadState } from './workload.js';

export type RunOptions = {
  /** Overrides the scenario's seed. */
  readonly seed?: number | undefined;
  /** Record a trace. @default true */
  readonly trace?: boolean;
  /** Apply grpc-go's public-API floors to Time (see NormalizeOptions). @default true */
  readonly clamp?: boolean;
  /** Safety valve against runaway scenarios. @default 10_000_000 */
  readonly maxEvents?: number;
};

export type RunResult = {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly serverConfig: ServerKeepaliveConfig;
  readonly clientConfig: ClientKeepaliveConfig;
  readonly outcome: Outcome;
  readonly trace: readonly TraceRecord[];
};

export class EventBudgetError extends Error {
  override readonly name = 'EventBudgetError';
}

type Item =
  | { readonly k: 'arrive'; readonly to: Actor; readonly frame: Frame; readonly sentAt: Nanos }
  | { readonly k: 'signal'; readonly to: Actor; readonly signal: 'FIN' | 'RST' }
  | { readonly k: 'read'; readonly actor: Actor }
  | { readonly k: 'app'; readonly job: Job }
  | { readonly k: 'crash'; readonly actor: Actor };

type Unread = { readonly item: Frame | 'EOF'; readonly sentAt: Nanos; readonly arrivedAt: Nanos };

type Peer = {
  readonly actor: Actor;
  machine: ConnMachine<unknown> | undefined;
  crashed: boolean;
  socketClosed: boolean;
  rstSent: boolean;
  readonly recv: Unread[];
  lastReadAt: Nanos;
  /** When the reader last pulled bytes from the kernel: everything that had arrived by then is in user space. */
  lastSyscall: Nanos;
  readonly readerLatency: Nanos;
  readonly stalls: readonly { readonly from: Nanos; readonly until: Nanos }[];
  readonly link: LinkState;
  socketSaw: 'nothing' | 'FIN' | 'RST';
  socketSent: 'FIN' | 'RST' | undefined;
  closedAt: Nanos | undefined;
  close: { cause: string; reason: string } | undefined;
  readonly failedStreams: { streamId: number; error: string }[];
  readonly framesSent: Record<string, number>;
  readonly framesRead: Record<string, number>;
  /** Whether this side had streams when its transport closed. */
  nextKeepaliveTime: () => Nanos | undefined;
};

// Tie ranks at one instant: network arrivals first, then reads and timers in the scenario's
// tie order, then application jobs (docs/model.md, "Ties").
const RANK_NET = 0;
const RANK_APP = 3;

/** Runs one scenario to its first close (and until both sides know) or to its horizon. */
export function runScenario(sc: Scenario, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? sc.seed;
  const tracing = options.trace ?? true;
  const clamp = options.clamp ?? true;
  const maxEvents = options.maxEvents ?? 10_000_000;
  const rng = createRng(seed);
  const readRank = sc.tieOrder === 'reads-first' ? 1 : 2;
  const timerRank = sc.tieOrder === 'reads-first' ? 2 : 1;

  const serverFeatures = featuresOf(parseGrpcGoVersion(sc.server.version));
  const clientFeatures = featuresOf(parseGrpcGoVersion(sc.client.version));
  const serverConfig = normalizeServer(sc.server.keepalive, sc.server.enforcement, serverFeatures, rng.fork(1), { clamp });
  const clientConfig = normalizeClient(sc.client.keepalive, clientFeatures, { clamp });

  const queue = new EventQueue<Item>();
  const trace: TraceRecord[] = [];
  let seq = 0;
  let events = 0;
  let now: Nanos = 0;

  const linkConfig = (dir: Direction): LinkConfig => ({
    delay: sc.network[dir].delay,
    delayFrames: sc.faults.flatMap((f, i) =>
      f.type === 'delayFrame' && f.direction === dir
        ? [{ frame: f.frame, ping: f.ping, nth: f.nth, by: f.by, label: `fault #${i + 1}: ${f.ping === undefined ? '' : `${f.ping} `}${f.frame} #${f.nth} held ${formatDuration(f.by)}` }]
        : [],
    ),
    blackholes: sc.faults.flatMap((f, i) =>
      f.type === 'blackhole' && f.direction === dir ? [{ from: f.from, until: f.until, label: `fault #${i + 1}: blackhole until ${formatDuration(f.until)}` }] : [],
    ),
  });
  const makePeer = (actor: Actor, dir: Direction, latency: Nanos): Peer => ({
    actor,
    machine: undefined,
    crashed: false,
    socketClosed: false,
    rstSent: false,
    recv: [],
    lastReadAt: 0,
    lastSyscall: -1,
    readerLatency: latency,
    stalls: sc.faults
      .flatMap((f) => (f.type === 'readerStall' && f.peer === actor ? [{ from: f.from, until: f.until }] : []))
      .sort((a, b) => a.from - b.from),
    link: createLink(linkConfig(dir)),
    socketSaw: 'nothing',
    socketSent: undefined,
    closedAt: undefined,
    close: undefined,
    failedStreams: [],
    framesSent: {},
    framesRead: {},
    nextKeepaliveTime: () => undefined,
  });
  const server = makePeer('server', 'serverToClient', sc.server.readerLatency);
  const client = makePeer('client', 'clientToServer', sc.client.readerLatency);
  const peerOf = (a: Actor): Peer => (a === 'server' ? server : client);
  const otherOf = (a: Actor): Peer => (a === 'server' ? client : server);
  const alive = (p: Peer): boolean => p.machine !== undefined && !p.crashed && !p.machine.closed;

  const workload = planWorkload(sc);
  const wl: WorkloadState = workload.state;
  for (const j of workload.jobs) queue.push(j.at, RANK_APP, { k: 'app', job: j.job });
  for (const f of sc.faults) if (f.type === 'crash') queue.push(f.at, RANK_NET, { k: 'crash', actor: f.peer });

  let firstClose: { at: Nanos; by: Actor; cause: string; reason: string } | undefined;

  const record = (
    p: Peer,
    event: WorldEvent,
    actions: readonly TraceAction[],
    before: Record<string, StateValue> | undefined,
    extra: { sentAt?: Nanos; arrivedAt?: Nanos; full?: boolean } = {},
  ): void => {
    if (!tracing) return;
    const after = p.machine?.watch() ?? {};
    const r: TraceRecord = {
      seq: seq++,
      at: now,
      actor: p.actor,
      event,
      ...(extra.sentAt === undefined ? {} : { sentAt: extra.sentAt }),
      ...(extra.arrivedAt === undefined ? {} : { arrivedAt: extra.arrivedAt }),
      actions,
      changes: before === undefined ? {} : diffWatch(before, after),
      ...(extra.full === true ? { state: after } : {}),
    };
    trace.push(r);
  };

  const sendOnSocket = (p: Peer, frame: Frame): TraceAction => {
    const key = frameCountKey(frame);
    p.framesSent[key] = (p.framesSent[key] ?? 0) + 1;
    const dest = otherOf(p.actor);
    const dep = departFrame(p.link, frame, now);
    if (dest.crashed) return { type: 'sendFrame', frame, arrivesAt: undefined, notes: [...dep.notes, 'peer has crashed: never arrives'] };
    queue.push(dep.arrivesAt, RANK_NET, { k: 'arrive', to: dest.actor, frame, sentAt: now });
    return { type: 'sendFrame', frame, arrivesAt: dep.arrivesAt, notes: dep.notes };
  };

  const sendSignal = (p: Peer, signal: 'FIN' | 'RST'): TraceAction => {
    const dest = otherOf(p.actor);
    const dep = departSignal(p.link, now);
    if (dest.crashed) return { type: 'sendSignal', signal, arrivesAt: undefined };
    queue.push(dep.arrivesAt, RANK_NET, { k: 'signal', to: dest.actor, signal });
    return { type: 'sendSignal', signal, arrivesAt: dep.arrivesAt };
  };

  const applyActions = (p: Peer, out: readonly ConnAction[]): TraceAction[] => {
    const traced: TraceAction[] = [];
    for (const a of out) {
      switch (a.type) {
        case 'sendFrame':
          if (p.socketClosed || p.crashed) break;
          traced.push(sendOnSocket(p, a.frame));
          break;
        case 'close': {
          // close(2) with unread bytes in the kernel's receive queue sends RST; otherwise FIN.
          // grpc-go reads through a large buffer, so frames that had arrived by its last read are
          // already in user space: only those that arrived since count.
          const unread = p.recv.some((u) => u.item !== 'EOF' && u.arrivedAt > p.lastSyscall);
          const signal = unread ? 'RST' : 'FIN';
          p.socketClosed = true;
          p.recv.length = 0;
          p.closedAt = now;
          p.close = { cause: a.cause, reason: a.reason };
          if (firstClose === undefined) firstClose = { at: now, by: p.actor, cause: a.cause, reason: a.reason };
          traced.push({ type: 'close', cause: a.cause, reason: a.reason, socket: signal });
          // After an RST the socket is gone and sends nothing; after a FIN the close answers with ours.
          if (p.socketSaw !== 'RST') {
            p.socketSent = signal;
            traced.push(sendSignal(p, signal));
          }
          break;
        }
        case 'streamFailed':
          p.failedStreams.push({ streamId: a.streamId, error: a.error });
          traced.push(a);
          break;
        case 'requestReceived':
          for (const j of onRequestReceived(wl, a.streamId, now)) queue.push(j.at, RANK_APP, { k: 'app', job: j.job });
          traced.push(a);
          break;
        case 'log':
          traced.push(a);
          break;
        default:
          assertNever(a);
      }
    }
    return traced;
  };

  const stepPeer = (p: Peer, event: ConnEvent, extra: { sentAt?: Nanos; arrivedAt?: Nanos } = {}): void => {
    const m = p.machine;
    if (m === undefined) return;
    const before = tracing ? m.watch() : undefined;
    const out: ConnAction[] = [];
    m.step(event, now, out);
    const traced = applyActions(p, out);
    record(p, event, traced, before, extra);
  };

  /** When the reader goroutine gets to a frame that arrived at `arrivedAt`. */
  const readTime = (p: Peer, arrivedAt: Nanos): Nanos => {
    let t = Math.max(arrivedAt, p.lastReadAt) + p.readerLatency;
    for (const s of p.stalls) if (t >= s.from && t < s.until) t = s.until;
    p.lastReadAt = t;
    return t;
  };

  const enqueueRead = (p: Peer, u: Unread): void => {
    p.recv.push(u);
    queue.push(readTime(p, u.arrivedAt), readRank, { k: 'read', actor: p.actor });
  };

  const startClient = (): void => {
    client.machine = clientMachine(createClientConn(clientFeatures, clientConfig, now)) as ConnMachine<unknown>;
    client.nextKeepaliveTime = () => (client.machine?.state as { nextKeepaliveTime: Nanos | undefined }).nextKeepaliveTime;
    const actions = clientPrefaceFrames().map((f) => sendOnSocket(client, f));
    record(client, { type: 'transportCreated' }, actions, undefined, { full: true });
  };

  const startServer = (): void => {
    server.machine = serverMachine(createServerConn(serverFeatures, serverConfig, now)) as ConnMachine<unknown>;
    const actions = serverPrefaceFrames().map((f) => sendOnSocket(server, f));
    record(server, { type: 'transportCreated' }, actions, undefined, { full: true });
  };

  const handle = (item: Item): void => {
    switch (item.k) {
      case 'arrive': {
        const p = peerOf(item.to);
        if (p.crashed) return;
        if (p.socketClosed) {
          // Data for a closed socket: the kernel answers with RST (once).
          if (!p.rstSent && p.socketSaw === 'nothing') {
            p.rstSent = true;
            record(p, { type: 'frameArrivedAfterClose', frame: item.frame }, [sendSignal(p, 'RST')], undefined);
          }
          return;
        }
        enqueueRead(p, { item: item.frame, sentAt: item.sentAt, arrivedAt: now });
        return;
      }
      case 'signal': {
        const p = peerOf(item.to);
        if (p.crashed) return;
        if (p.socketSaw === 'nothing') p.socketSaw = item.signal;
        if (p.socketClosed) return;
        if (item.signal === 'FIN') {
          enqueueRead(p, { item: 'EOF', sentAt: now, arrivedAt: now });
          return;
        }
        p.recv.length = 0; // RST discards whatever was not read yet.
        record(p, { type: 'signalArrived', signal: 'RST' }, [], undefined);
        stepPeer(p, { type: 'resetReceived' });
        return;
      }
      case 'read': {
        const p = peerOf(item.actor);
        const u = p.recv.shift();
        if (u === undefined || p.crashed || p.socketClosed) return;
        p.lastSyscall = now;
        if (u.item === 'EOF') {
          stepPeer(p, { type: 'eofRead' });
          return;
        }
        const key = frameCountKey(u.item);
        p.framesRead[key] = (p.framesRead[key] ?? 0) + 1;
        if (p.machine === undefined && p.actor === 'server') startServer();
        stepPeer(p, { type: 'frameRead', frame: u.item }, { sentAt: u.sentAt, arrivedAt: u.arrivedAt });
        return;
      }
      case 'app': {
        const r = runJob(wl, item.job, now);
        const p = peerOf(r.actor);
        if (!alive(p)) return;
        for (const e of r.events) stepPeer(p, e);
        if (r.next !== undefined && alive(p)) queue.push(r.next.at, RANK_APP, { k: 'app', job: r.next.job });
        return;
      }
      case 'crash': {
        const p = peerOf(item.actor);
        if (p.crashed) return;
        p.crashed = true;
        p.recv.length = 0;
        // Nothing it sent is delivered any more, and nothing reaches it.
        queue.removeWhere((q) => (q.k === 'arrive' || q.k === 'signal') && q.to !== p.actor);
        record(p, { type: 'crashed' }, [], undefined);
        return;
      }
      default:
        assertNever(item);
    }
  };

  startClient();
  const horizon = sc.horizon;
  for (;;) {
    if (++events > maxEvents) throw new EventBudgetError(`run exceeded ${maxEvents} events before ${fmtMs(now)} (virtual)`);
    const top = queue.peek();
    let timer: { at: Nanos; timer: TimerName; peer: Peer } | undefined;
    for (const p of [server, client]) {
      if (!alive(p)) continue;
      const t = p.machine?.nextTimer();
      if (t !== undefined && (timer === undefined || t.at < timer.at)) timer = { ...t, peer: p };
    }
    const useTimer = timer !== undefined && (top === undefined || timer.at < top.at || (timer.at === top.at && timerRank < top.rank));
    const at = useTimer ? timer?.at : top?.at;
    if (at === undefined || at > horizon) break;
    now = at;
    if (useTimer && timer !== undefined) stepPeer(timer.peer, { type: 'timerFired', timer: timer.timer });
    else handle((queue.pop() as { item: Item }).item);
    if (done(server) && done(client)) break;
  }
  const endedAt = Math.min(now, horizon);

  const outcome: Outcome = {
    closed: firstClose !== undefined,
    closedAt: firstClose?.at,
    closedBy: firstClose?.by,
    cause: firstClose?.cause as Outcome['cause'],
    reason: firstClose?.reason,
    server: sideOutcome(server),
    client: sideOutcome(client),
    nextClientKeepaliveTime: client.nextKeepaliveTime(),
    framesSent: { server: sortKeys(server.framesSent), client: sortKeys(client.framesSent) },
    framesRead: { server: sortKeys(server.framesRead), client: sortKeys(client.framesRead) },
    endedAt,
    events,
  };
  return { scenario: sc, seed, serverConfig, clientConfig, outcome, trace };
}

function done(p: Peer): boolean {
  return p.crashed || p.socketClosed;
}

function sortKeys(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function fmtMs(ns: Nanos): string {
  return `${ns / 1e6}ms`;
}


export type { Peer as WorldPeer };
