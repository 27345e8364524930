import { createClientConn, clientMachine, clientPrefaceFrames } from '../conn/client-conn.js';
import { DEFAULT_FLOW, INITIAL_CONN_WINDOW, type FlowSettings } from '../conn/bdp.js';
import { createServerConn, serverMachine, serverPrefaceFrames } from '../conn/server-conn.js';
import type { Actor, ConnAction, ConnEvent, ConnMachine, TimerName } from '../conn/types.js';
import { frameCountKey, type Frame } from '../frames/frame.js';
import { normalizeClient, normalizeServer, type ClientKeepaliveConfig, type ServerKeepaliveConfig } from '../keepalive/params.js';
import { featuresOf, parseGrpcGoVersion } from '../keepalive/versions.js';
import { assertNever } from '../lib/assert-never.js';
import type { Scenario } from '../scenario/schema.js';
import { EventQueue } from '../time/event-queue.js';
import { createRng } from '../time/rng.js';
import type { Nanos } from '../time/units.js';
import { buildNetwork } from './build-network.js';
import type { Delivery, KernelAbort, NetNote } from './network.js';
import type { Outcome } from './outcome.js';
import { createPauses, type Pauses } from './pauses.js';
import { sideOutcome } from './side-outcome.js';
import { diffWatch, type StateValue, type TraceAction, type TraceRecord, type WorldEvent } from './trace.js';
import { jobActor, onRequestReceived, planWorkload, runJob, type Job, type WorkloadState } from './workload.js';

export type RunOptions = {
  /** Overrides the scenario's seed. */
  readonly seed?: number | undefined;
  /** Record a trace. @default true */
  readonly trace?: boolean;
  /** Apply grpc-go's public-API floors to Time (see NormalizeOptions). @default true */
  readonly clamp?: boolean;
  /** Safety valve against runaway scenarios. @default 50_000_000 */
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
  | { readonly k: 'read'; readonly actor: Actor }
  | { readonly k: 'lingerEnd'; readonly actor: Actor }
  | { readonly k: 'app'; readonly job: Job }
  | { readonly k: 'crash'; readonly actor: Actor };

type Unread = { readonly item: Frame | 'EOF'; readonly sentAt: Nanos; readonly arrivedAt: Nanos };

type Peer = {
  readonly actor: Actor;
  machine: ConnMachine<unknown> | undefined;
  crashed: boolean;
  socketClosed: boolean;
  readonly recv: Unread[];
  lastReadAt: Nanos;
  /** When the reader last pulled bytes from the kernel: everything that had arrived by then is in user space. */
  lastSyscall: Nanos;
  readonly readerLatency: () => Nanos;
  /** The transport closed but the socket lingers (v1.62+ after a final GOAWAY): reads are drained and dropped. */
  lingering: boolean;
  socketSaw: 'nothing' | 'FIN' | 'RST';
  socketSent: 'FIN' | 'RST' | undefined;
  kernelAbort: KernelAbort | undefined;
  closedAt: Nanos | undefined;
  close: { cause: string; reason: string } | undefined;
  readonly failedStreams: { streamId: number; error: string }[];
  readonly framesSent: Record<string, number>;
  readonly framesRead: Record<string, number>;
};

// Tie ranks at one instant: packet arrivals first, then reads and timers in the scenario's tie
// order, then kernel timers (retransmission, TCP keepalive), then application jobs
// (docs/model.md, "Ties").
const RANK_NET = 0;
const RANK_KERNEL_TIMER = 2.5;
const RANK_APP = 3;
/** More events than this at a single instant means the run cannot advance. */
const MAX_EVENTS_AT_ONE_INSTANT = 5_000_000;

/** Runs one scenario to its first close (and until both sides know) or to its horizon. */
export function runScenario(sc: Scenario, options: RunOptions = {}): RunResult {
  const seed = options.seed ?? sc.seed;
  const tracing = options.trace ?? true;
  const clamp = options.clamp ?? true;
  const maxEvents = options.maxEvents ?? 50_000_000;
  const rng = createRng(seed);
  const readRank = sc.tieOrder === 'reads-first' ? 1 : 2;
  const timerRank = sc.tieOrder === 'reads-first' ? 2 : 1;

  const serverFeatures = featuresOf(parseGrpcGoVersion(sc.server.version));
  const clientFeatures = featuresOf(parseGrpcGoVersion(sc.client.version));
  const serverConfig = normalizeServer(sc.server.keepalive, sc.server.enforcement, serverFeatures, rng.fork(1), { clamp });
  const clientConfig = normalizeClient(sc.client.keepalive, clientFeatures, { clamp });
  const net = buildNetwork(sc, { server: serverConfig.tcpUserTimeout, client: clientConfig.tcpUserTimeout }, rng.fork(2));
  const pauses: Record<Actor, Pauses> = { server: createPauses(sc, 'server', rng.fork(3)), client: createPauses(sc, 'client', rng.fork(4)) };

  const queue = new EventQueue<Item>();
  const trace: TraceRecord[] = [];
  let seq = 0;
  let events = 0;
  let now: Nanos = 0;

  const makePeer = (actor: Actor): Peer => ({
    actor,
    machine: undefined,
    crashed: false,
    socketClosed: false,
    recv: [],
    lastReadAt: 0,
    lastSyscall: -1,
    readerLatency: pauses[actor].readerLatency,
    lingering: false,
    socketSaw: 'nothing',
    socketSent: undefined,
    kernelAbort: undefined,
    closedAt: undefined,
    close: undefined,
    failedStreams: [],
    framesSent: {},
    framesRead: {},
  });
  const server = makePeer('server');
  const client = makePeer('client');
  const peerOf = (a: Actor): Peer => (a === 'server' ? server : client);
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
    trace.push({
      seq: seq++,
      at: now,
      actor: p.actor,
      event,
      ...(extra.sentAt === undefined ? {} : { sentAt: extra.sentAt }),
      ...(extra.arrivedAt === undefined ? {} : { arrivedAt: extra.arrivedAt }),
      actions,
      changes: before === undefined ? {} : diffWatch(before, after),
      ...(extra.full === true ? { state: after } : {}),
    });
  };

  const sendOnSocket = (p: Peer, frame: Frame): TraceAction => {
    const key = frameCountKey(frame);
    p.framesSent[key] = (p.framesSent[key] ?? 0) + 1;
    const r = net.sendFrame(p.actor, frame, now);
    return { type: 'sendFrame', frame, arrivesAt: r.arrivesAt, notes: r.notes };
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
          p.closedAt = now;
          p.close = { cause: a.cause, reason: a.reason };
          if (firstClose === undefined) firstClose = { at: now, by: p.actor, cause: a.cause, reason: a.reason };
          if (a.lingerFor !== undefined && p.socketSaw === 'nothing' && p.kernelAbort === undefined) {
            // The transport is closed; the socket stays open for the reader to drain (v1.62+).
            p.lingering = true;
            queue.push(now + a.lingerFor, RANK_APP, { k: 'lingerEnd', actor: p.actor });
            traced.push({ type: 'close', cause: a.cause, reason: a.reason, socket: 'linger' });
            break;
          }
          traced.push(...closeSocket(p, a.cause, a.reason));
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
          assertNever(a, 'action');
      }
    }
    return traced;
  };

  /**
   * close(2): with unread bytes in the kernel's receive queue it sends RST, otherwise FIN.
   * grpc-go reads through a large buffer, so frames that had arrived by its last read are already
   * in user space: only those that arrived since count. After an RST or a kernel abort the socket
   * is gone and sends nothing.
   */
  const closeSocket = (p: Peer, cause: string, reason: string): TraceAction[] => {
    const unread = p.recv.some((u) => u.item !== 'EOF' && u.arrivedAt > p.lastSyscall);
    const signal = unread ? 'RST' : 'FIN';
    p.socketClosed = true;
    p.lingering = false;
    p.recv.length = 0;
    const traced: TraceAction[] = [{ type: 'close', cause, reason, socket: signal }];
    if (p.socketSaw !== 'RST' && p.kernelAbort === undefined) {
      p.socketSent = signal;
      const r = net.closeSocket(p.actor, signal, now);
      traced.push({ type: 'sendSignal', signal, arrivesAt: r.arrivesAt, notes: r.notes });
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
    const t = pauses[p.actor].readerResumes(Math.max(arrivedAt, p.lastReadAt) + p.readerLatency());
    p.lastReadAt = t;
    return t;
  };

  const enqueueRead = (p: Peer, u: Unread): void => {
    p.recv.push(u);
    queue.push(readTime(p, u.arrivedAt), readRank, { k: 'read', actor: p.actor });
  };

  const startClient = (): void => {
    client.machine = clientMachine(createClientConn(clientFeatures, clientConfig, now, flowSettings(sc.client.window))) as ConnMachine<unknown>;
    const actions = clientPrefaceFrames().map((f) => sendOnSocket(client, f));
    record(client, { type: 'transportCreated' }, actions, undefined, { full: true });
  };

  const startServer = (): void => {
    server.machine = serverMachine(createServerConn(serverFeatures, serverConfig, now, flowSettings(sc.server.window))) as ConnMachine<unknown>;
    const actions = serverPrefaceFrames().map((f) => sendOnSocket(server, f));
    record(server, { type: 'transportCreated' }, actions, undefined, { full: true });
  };

  const deliver = (d: Delivery): void => {
    if (d.kind === 'abort') {
      const p = peerOf(d.actor);
      p.kernelAbort = d.why;
      // A keepalive-probe abort resets the connection; a retransmission abort just goes quiet.
      if (d.why === 'tcp-keepalive' && p.socketSent === undefined) p.socketSent = 'RST';
      if (p.socketClosed || p.crashed) return;
      if (p.lingering) {
        p.lingering = false;
        p.socketClosed = true;
        return;
      }
      if (p.machine !== undefined) {
        stepPeer(p, { type: 'socketTimedOut' });
        return;
      }
      // The server's transport never came to be (nothing was read yet): only the socket dies.
      p.socketClosed = true;
      p.closedAt = now;
      p.close = { cause: 'tcp_abort', reason: 'connection timed out before the first frame was read' };
      record(p, { type: 'socketTimedOut' }, [], undefined);
      return;
    }
    const p = peerOf(d.to);
    if (p.crashed || p.socketClosed) return;
    switch (d.kind) {
      case 'frame':
        enqueueRead(p, { item: d.frame, sentAt: d.sentAt, arrivedAt: now });
        return;
      case 'fin':
        if (p.socketSaw === 'nothing') p.socketSaw = 'FIN';
        enqueueRead(p, { item: 'EOF', sentAt: now, arrivedAt: now });
        return;
      case 'rst':
        p.socketSaw = 'RST';
        p.recv.length = 0; // RST discards whatever was not read yet.
        if (p.lingering) {
          p.lingering = false;
          p.socketClosed = true;
          record(p, { type: 'signalArrived', signal: 'RST', from: d.from }, [], undefined);
          return;
        }
        record(p, { type: 'signalArrived', signal: 'RST', from: d.from }, [], undefined);
        stepPeer(p, { type: 'resetReceived' });
        return;
      default:
        assertNever(d, 'delivery');
    }
  };

  const handle = (item: Item): void => {
    switch (item.k) {
      case 'read': {
        const p = peerOf(item.actor);
        const u = p.recv.shift();
        if (u === undefined || p.crashed || p.socketClosed) return;
        p.lastSyscall = now;
        if (p.lingering) {
          // The reader drains what comes in; at the peer's EOF the socket closes for good.
          if (u.item === 'EOF') record(p, { type: 'eofRead' }, closeSocket(p, p.close?.cause ?? 'eof', 'reader done after the final GOAWAY: socket closed'), undefined);
          return;
        }
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
        const p = peerOf(jobActor(item.job));
        if (!alive(p)) return;
        // A paused process runs its application late.
        const resume = pauses[p.actor].processResumes(now);
        if (resume > now) {
          queue.push(resume, RANK_APP, item);
          return;
        }
        const r = runJob(wl, item.job, now);
        for (const e of r.events) stepPeer(p, e);
        if (r.next !== undefined && alive(p)) queue.push(r.next.at, RANK_APP, { k: 'app', job: r.next.job });
        return;
      }
      case 'lingerEnd': {
        const p = peerOf(item.actor);
        if (!p.lingering || p.socketClosed || p.crashed) return;
        record(p, { type: 'network', text: 'the 1 s wait after the final GOAWAY is over: socket closed' }, closeSocket(p, p.close?.cause ?? 'drained', 'linger over'), undefined);
        return;
      }
      case 'crash': {
        const p = peerOf(item.actor);
        if (p.crashed) return;
        p.crashed = true;
        p.recv.length = 0;
        net.crash(p.actor, now);
        record(p, { type: 'crashed' }, [], undefined);
        return;
      }
      default:
        assertNever(item, 'item');
    }
  };

  const netNotes: NetNote[] = [];
  let sameInstant = 0;
  startClient();
  const horizon = sc.horizon;
  for (;;) {
    if (++events > maxEvents) throw new EventBudgetError(`run exceeded ${maxEvents} events before ${now / 1e9}s (virtual)`);
    const top = queue.peek();
    const netEvent = net.nextEvent();
    // Server before client among timers due together. Go timers fire late when the process is
    // paused or its scheduler is busy.
    let timerAt: Nanos | undefined;
    let timerName: TimerName | undefined;
    let timerPeer: Peer | undefined;
    for (let i = 0; i < 2; i++) {
      const p = i === 0 ? server : client;
      if (!alive(p)) continue;
      const t = p.machine?.nextTimer();
      if (t === undefined) continue;
      const at = pauses[p.actor].timerFires(t.at);
      if (timerAt === undefined || at < timerAt) {
        timerAt = at;
        timerName = t.timer;
        timerPeer = p;
      }
    }
    let at = top?.at;
    let rank = top?.rank ?? Number.POSITIVE_INFINITY;
    let source: 'queue' | 'timer' | 'net' = 'queue';
    if (timerAt !== undefined && (at === undefined || timerAt < at || (timerAt === at && timerRank < rank))) {
      at = timerAt;
      rank = timerRank;
      source = 'timer';
    }
    if (netEvent !== undefined) {
      const netRank = netEvent.kind === 'arrival' ? RANK_NET : RANK_KERNEL_TIMER;
      if (at === undefined || netEvent.at < at || (netEvent.at === at && netRank <= rank)) {
        at = netEvent.at;
        source = 'net';
      }
    }
    if (at === undefined || at > horizon) break;
    // Virtual time must move: a very long run of events at one instant is a loop, not a run.
    sameInstant = at === now ? sameInstant + 1 : 0;
    if (sameInstant > MAX_EVENTS_AT_ONE_INSTANT) throw new EventBudgetError(`run stuck: more than ${MAX_EVENTS_AT_ONE_INSTANT} events at ${at / 1e9}s (virtual)`);
    now = at;
    if (source === 'net') {
      const deliveries = net.step(now, netNotes);
      for (const n of netNotes.splice(0)) if (tracing) record(peerOf(n.actor), { type: 'network', text: n.text }, [], undefined);
      for (const d of deliveries) deliver(d);
    } else if (source === 'timer' && timerPeer !== undefined && timerName !== undefined) {
      stepPeer(timerPeer, { type: 'timerFired', timer: timerName });
    } else {
      handle((queue.pop() as { item: Item }).item);
    }
    if (done(server) && done(client)) break;
  }
  const endedAt = Math.min(now, horizon);
  const netStats = net.stats();

  const outcome: Outcome = {
    closed: firstClose !== undefined,
    closedAt: firstClose?.at,
    closedBy: firstClose?.by,
    cause: firstClose?.cause as Outcome['cause'],
    reason: firstClose?.reason,
    server: sideOutcome(server),
    client: sideOutcome(client),
    nextClientKeepaliveTime: (client.machine?.state as { nextKeepaliveTime?: Nanos } | undefined)?.nextKeepaliveTime,
    framesSent: { server: sortKeys(server.framesSent), client: sortKeys(client.framesSent) },
    framesRead: { server: sortKeys(server.framesRead), client: sortKeys(client.framesRead) },
    tcp: { server: sortKeys(netStats.server), client: sortKeys(netStats.client) },
    endedAt,
    events,
  };
  return { scenario: sc, seed, serverConfig, clientConfig, outcome, trace };
}

/** newHTTP2Server/newHTTP2Client: a window option of at least 64 KiB turns the dynamic window off. */
function flowSettings(w: { readonly stream?: number | undefined; readonly connection?: number | undefined }): FlowSettings {
  const set = (v: number | undefined): boolean => v !== undefined && v >= INITIAL_CONN_WINDOW;
  if (!set(w.stream) && !set(w.connection)) return DEFAULT_FLOW;
  return { dynamicWindow: false, connWindow: set(w.connection) ? (w.connection as number) : INITIAL_CONN_WINDOW };
}

function done(p: Peer): boolean {
  return p.crashed || p.socketClosed;
}

function sortKeys(r: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
