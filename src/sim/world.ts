import { createClientConn, clientMachine, clientPrefaceFrames } from '../conn/client-conn.js';
import { DEFAULT_FLOW, INITIAL_CONN_WINDOW, type FlowSettings } from '../conn/bdp.js';
import { createServerConn, serverMachine, serverPrefaceFrames } from '../conn/server-conn.js';
import type { Actor, ConnAction, ConnEvent, ConnMachine, TimerName } from '../conn/types.js';
import type { Frame } from '../frames/frame.js';
import { normalizeClient, normalizeServer, type ClientKeepaliveConfig, type ServerKeepaliveConfig } from '../keepalive/params.js';
import { featuresOf, parseGrpcGoVersion } from '../keepalive/versions.js';
import { assertNever } from '../lib/assert-never.js';
import type { Scenario } from '../scenario/schema.js';
import { EventQueue } from '../time/event-queue.js';
import { createRng } from '../time/rng.js';
import type { Nanos } from '../time/units.js';
import { RingQueue } from '../transport/linux/ring-queue.js';
import { buildNetwork } from './build-network.js';
import { clearArray } from './clear-array.js';
import { FrameCounts } from './frame-counts.js';
import type { Delivery, KernelAbort, NetNote, NetworkModel, SendReport } from './network.js';
import type { Outcome } from './outcome.js';
import type { PacketObserver } from './packet-record.js';
import { createPauses, type Pauses } from './pauses.js';
import { sideOutcome } from './side-outcome.js';
import { diffWatch, type StateValue, type TraceAction, type TraceRecord, type WorldEvent } from './trace.js';
import { callAt, callJob, jobActor, onRequestReceived, planWorkload, runJob, type Job, type UnarySeries, type WorkloadState } from './workload.js';

export type RunOptions = {
  /** Overrides the scenario's seed. */
  readonly seed?: number | undefined;
  /** Record a trace. @default true */
  readonly trace?: boolean;
  /** Apply grpc-go's public-API floors to Time (see NormalizeOptions). @default true */
  readonly clamp?: boolean;
  /** Safety valve against runaway scenarios. @default 50_000_000 */
  readonly maxEvents?: number;
  /**
   * Sees every IP packet of the TCP network (see PacketRecord), for pcap export. Ignored by the
   * scripted network and by a caller-supplied `network`. Observing changes nothing in the run.
   */
  readonly onPacket?: PacketObserver | undefined;
  /** Runs over this network instead of the one the scenario describes (replay of a capture). */
  readonly network?: NetworkModel | undefined;
  /**
   * With the trace on: each record is handed here as soon as it is final (when the instant it
   * belongs to is over and its frames are written), in order, and `RunResult.trace` stays empty.
   * A long traced run then holds no more than one instant's records.
   */
  readonly onTrace?: ((record: TraceRecord) => void) | undefined;
};

/** What a run is, known before its first event: the scenario and the settings each side uses. */
export type RunHead = {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly serverConfig: ServerKeepaliveConfig;
  readonly clientConfig: ClientKeepaliveConfig;
};

export type RunResult = RunHead & {
  readonly outcome: Outcome;
  readonly trace: readonly TraceRecord[];
};

/**
 * A run in progress, advanced by whoever holds it: `advance(n)` takes up to `n` events and says
 * whether the run goes on; `finish()` ends it where it stands (at its end, or earlier when the
 * holder stops it: a budget, an interrupt) and gives the outcome so far. The CLI advances a run
 * in slices so that it can check its budgets and signals between them.
 */
export type Run = {
  readonly head: RunHead;
  advance(maxEvents: number): boolean;
  /** Events taken so far. */
  events(): number;
  /** The virtual time reached. */
  now(): Nanos;
  finish(): RunResult;
};

export class EventBudgetError extends Error {
  override readonly name = 'EventBudgetError';
}

type Item =
  | { readonly k: 'read'; readonly actor: Actor }
  | { readonly k: 'lingerEnd'; readonly actor: Actor }
  | { readonly k: 'app'; readonly job: Job }
  /** Call `index` of a unary series, whose calls hold the queue's sequence numbers from `seq0` on. */
  | { readonly k: 'call'; readonly series: UnarySeries; readonly index: number; readonly seq0: number }
  | { readonly k: 'crash'; readonly actor: Actor };

type Unread = { readonly item: Frame | 'EOF'; readonly sentAt: Nanos; readonly arrivedAt: Nanos };

type Peer = {
  readonly actor: Actor;
  machine: ConnMachine<unknown> | undefined;
  crashed: boolean;
  socketClosed: boolean;
  /** Frames (and the EOF) in the kernel's receive queue, not yet read, in arrival order. */
  readonly recv: RingQueue<Unread>;
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
  readonly framesSent: FrameCounts;
  readonly framesRead: FrameCounts;
  /** This side's reads in the world queue, one shared item (reads carry nothing else). */
  readonly readItem: Item;
  readonly pauses: Pauses;
  /** Frames sent at the current instant, not yet written (see sendOnSocket). */
  readonly batch: Frame[];
  readonly batchTraced: ({ type: 'sendFrame'; frame: Frame; arrivesAt: Nanos | undefined; notes: readonly string[] } | undefined)[];
  /** Whether any frame in `batch` is traced (wants the network's report). */
  batchWantsReport: boolean;
  /** When this side's earliest timer fires (`Infinity`: none), valid while `timerStale` is false. */
  timerAt: Nanos;
  /** The machine stepped (or the side crashed) since `timerAt` was computed. */
  timerStale: boolean;
};

// Tie ranks at one instant: packet arrivals first, then reads and timers in the scenario's tie
// order, then kernel timers (retransmission, TCP keepalive), then application jobs
// (docs/model.md, "Ties").
const RANK_NET = 0;
const RANK_KERNEL_TIMER = 2.5;
const RANK_APP = 3;
const SOURCE_QUEUE = 0;
const SOURCE_TIMER = 1;
const SOURCE_NET = 2;
// Events without data, shared by every trace-off step (a traced run records its own objects).
const KP_TIMER_FIRED: ConnEvent = { type: 'timerFired', timer: 'kpTimer' };
const IDLE_TIMER_FIRED: ConnEvent = { type: 'timerFired', timer: 'idleTimer' };
const AGE_TIMER_FIRED: ConnEvent = { type: 'timerFired', timer: 'ageTimer' };
const DRAIN_TIMER_FIRED: ConnEvent = { type: 'timerFired', timer: 'drainTimer' };
/** The shared event for a timer (a switch: a record looked up by name is a megamorphic load). */
function timerFired(name: TimerName): ConnEvent {
  switch (name) {
    case 'kpTimer':
      return KP_TIMER_FIRED;
    case 'idleTimer':
      return IDLE_TIMER_FIRED;
    case 'ageTimer':
      return AGE_TIMER_FIRED;
    case 'drainTimer':
      return DRAIN_TIMER_FIRED;
    default:
      return assertNever(name, 'timer');
  }
}
const EOF_READ: ConnEvent = { type: 'eofRead' };
const SOCKET_TIMED_OUT: ConnEvent = { type: 'socketTimedOut' };
const RESET_RECEIVED: ConnEvent = { type: 'resetReceived' };
/** More events than this at a single instant means the run cannot advance. */
const MAX_EVENTS_AT_ONE_INSTANT = 5_000_000;

/** Runs one scenario to its first close (and until both sides know) or to its horizon. */
export function runScenario(sc: Scenario, options: RunOptions = {}): RunResult {
  const run = startRun(sc, options);
  run.advance(Number.POSITIVE_INFINITY);
  return run.finish();
}

/** A run set up and ready for its first event (see Run). */
export function startRun(sc: Scenario, options: RunOptions = {}): Run {
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
  // The network's rng is forked even when the caller brings its own network, so that the forks
  // below draw the same streams either way.
  const netRng = rng.fork(2);
  const net = options.network ?? buildNetwork(sc, { server: serverConfig.tcpUserTimeout, client: clientConfig.tcpUserTimeout }, netRng, options.onPacket);
  net.setTracing?.(tracing);
  const pauses: Record<Actor, Pauses> = { server: createPauses(sc, 'server', rng.fork(3)), client: createPauses(sc, 'client', rng.fork(4)) };

  const queue = new EventQueue<Item>();
  const trace: TraceRecord[] = [];
  const onTrace = tracing ? options.onTrace : undefined;
  /** Hands the records so far to `onTrace`; only when no write is pending, so every record is final. */
  const drainTrace = (): void => {
    if (onTrace === undefined) return;
    for (let i = 0; i < trace.length; i++) onTrace(trace[i] as TraceRecord);
    trace.length = 0;
  };
  let seq = 0;
  let events = 0;
  let now: Nanos = 0;

  const makePeer = (actor: Actor): Peer => ({
    actor,
    machine: undefined,
    crashed: false,
    socketClosed: false,
    recv: new RingQueue(),
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
    framesSent: new FrameCounts(),
    framesRead: new FrameCounts(),
    readItem: { k: 'read', actor },
    batch: [],
    batchTraced: [],
    batchWantsReport: false,
    pauses: pauses[actor],
    timerAt: Number.POSITIVE_INFINITY,
    timerStale: true,
  });
  const server = makePeer('server');
  const client = makePeer('client');
  const peerOf = (a: Actor): Peer => (a === 'server' ? server : client);
  const alive = (p: Peer): boolean => p.machine !== undefined && !p.crashed && !p.machine.closed;

  const workload = planWorkload(sc);
  const wl: WorkloadState = workload.state;
  for (const e of workload.entries) {
    if (e.kind === 'job') queue.push(e.at, RANK_APP, { k: 'app', job: e.job });
    else if (e.series.count > 0) {
      // One call queued now; each pushes the next when taken, in the place set aside for it.
      const seq0 = queue.reserve(e.series.count);
      queue.pushSeq(callAt(e.series, 0), RANK_APP, seq0, { k: 'call', series: e.series, index: 0, seq0 });
    }
  }
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

  /**
   * Hands a frame to the network. Frames a side sends at one instant are batched and written
   * together when the instant is over (`flushWrites`), as grpc-go's loopy writer drains its
   * control buffer and flushes once: the traced action gets its arrival time then.
   */
  const sendOnSocket = (p: Peer, frame: Frame, traced: TraceAction[] | undefined): void => {
    p.framesSent.add(frame);
    p.batch.push(frame);
    if (traced === undefined) {
      p.batchTraced.push(undefined);
    } else {
      const action = { type: 'sendFrame' as const, frame, arrivesAt: undefined as Nanos | undefined, notes: [] as readonly string[] };
      p.batchTraced.push(action);
      traced.push(action);
      p.batchWantsReport = true;
    }
    if (!pendingWrites.includes(p)) pendingWrites.push(p);
  };

  /** Writes `p`'s batched frames now. */
  const flushWrites = (p: Peer): void => {
    if (p.batch.length === 0) return;
    if (!p.batchWantsReport && net.sendFrames !== undefined) {
      net.sendFrames(p.actor, p.batch, now, false);
      clearArray(p.batch);
      clearArray(p.batchTraced);
      return;
    }
    p.batchWantsReport = false;
    const frames = p.batch.splice(0);
    const actions = p.batchTraced.splice(0);
    const reports = net.sendFrames !== undefined ? (net.sendFrames(p.actor, frames, now, true) as SendReport[]) : frames.map((f) => net.sendFrame(p.actor, f, now));
    for (let i = 0; i < actions.length; i++) {
      const a = actions[i];
      if (a === undefined) continue;
      const r = reports[i] as { arrivesAt: Nanos | undefined; notes: readonly string[]; bytes?: Uint8Array | undefined };
      a.arrivesAt = r.arrivesAt;
      a.notes = r.notes;
      if (r.bytes !== undefined) (a as { octets?: string }).octets = hex(r.bytes);
    }
  };
  const pendingWrites: Peer[] = [];
  const flushAll = (): void => {
    while (pendingWrites.length > 0) flushWrites(pendingWrites.shift() as Peer);
  };

  /** Carries out a machine's actions; records them in `traced` when tracing. */
  const applyActions = (p: Peer, out: readonly ConnAction[], traced: TraceAction[] | undefined): void => {
    for (let i = 0; i < out.length; i++) {
      const a = out[i] as ConnAction;
      switch (a.type) {
        case 'sendFrame':
          if (p.socketClosed || p.crashed) break;
          sendOnSocket(p, a.frame, traced);
          break;
        case 'close': {
          p.closedAt = now;
          p.close = { cause: a.cause, reason: a.reason };
          if (firstClose === undefined) firstClose = { at: now, by: p.actor, cause: a.cause, reason: a.reason };
          if (a.lingerFor !== undefined && p.socketSaw === 'nothing' && p.kernelAbort === undefined) {
            // The transport is closed; the socket stays open for the reader to drain (v1.62+).
            p.lingering = true;
            queue.push(now + a.lingerFor, RANK_APP, { k: 'lingerEnd', actor: p.actor });
            traced?.push({ type: 'close', cause: a.cause, reason: a.reason, socket: 'linger' });
            break;
          }
          const c = closeSocket(p, a.cause, a.reason);
          traced?.push(...c);
          break;
        }
        case 'streamFailed':
          p.failedStreams.push({ streamId: a.streamId, error: a.error });
          traced?.push(a);
          break;
        case 'requestReceived':
          for (const j of onRequestReceived(wl, a.streamId, now)) queue.push(j.at, RANK_APP, { k: 'app', job: j.job });
          traced?.push(a);
          break;
        case 'log':
          traced?.push(a);
          break;
        default:
          assertNever(a, 'action');
      }
    }
  };

  /**
   * close(2): with unread bytes in the kernel's receive queue it sends RST, otherwise FIN.
   * grpc-go reads through a large buffer, so frames that had arrived by its last read are already
   * in user space: only those that arrived since count. After an RST or a kernel abort the socket
   * is gone and sends nothing.
   */
  const closeSocket = (p: Peer, cause: string, reason: string): TraceAction[] => {
    // Frames the writer had already taken go out before the socket closes.
    flushWrites(p);
    let unread = false;
    for (let i = 0; i < p.recv.length && !unread; i++) {
      const u = p.recv.at(i) as Unread;
      unread = u.item !== 'EOF' && u.arrivedAt > p.lastSyscall;
    }
    const signal = unread ? 'RST' : 'FIN';
    p.socketClosed = true;
    p.lingering = false;
    p.recv.clear();
    const traced: TraceAction[] = [{ type: 'close', cause, reason, socket: signal }];
    if (p.socketSaw !== 'RST' && p.kernelAbort === undefined) {
      p.socketSent = signal;
      const r = net.closeSocket(p.actor, signal, now);
      traced.push({ type: 'sendSignal', signal, arrivesAt: r.arrivesAt, notes: r.notes });
    }
    return traced;
  };

  // One action buffer for every step (a machine's actions are carried out before the next step).
  const outBuf: ConnAction[] = [];
  const stepPeer = (p: Peer, event: ConnEvent, sentAt?: Nanos, arrivedAt?: Nanos): void => {
    const m = p.machine;
    if (m === undefined) return;
    if (!tracing) {
      // Trace off: one reused action array, nothing recorded. The machines see the same events
      // (shared constant objects where an event carries no data) and act the same.
      const out = outBuf.length === 0 ? outBuf : [];
      p.timerStale = true;
      m.step(event, now, out);
      applyActions(p, out, undefined);
      clearArray(out);
      return;
    }
    const before = m.watch();
    const out: ConnAction[] = [];
    p.timerStale = true;
    m.step(event, now, out);
    const traced: TraceAction[] = [];
    applyActions(p, out, traced);
    record(p, event, traced, before, sentAt === undefined ? {} : { sentAt, arrivedAt: arrivedAt as Nanos });
  };

  /** When the reader goroutine gets to a frame that arrived at `arrivedAt`. */
  const readTime = (p: Peer, arrivedAt: Nanos): Nanos => {
    const t = p.pauses.readerResumes(Math.max(arrivedAt, p.lastReadAt) + p.readerLatency());
    p.lastReadAt = t;
    return t;
  };

  const enqueueRead = (p: Peer, u: Unread): void => {
    p.recv.push(u);
    queue.push(readTime(p, u.arrivedAt), readRank, p.readItem);
  };

  const startClient = (): void => {
    client.timerStale = true;
    client.machine = clientMachine(createClientConn(clientFeatures, clientConfig, now, flowSettings(sc.client.window))) as ConnMachine<unknown>;
    const actions: TraceAction[] = [];
    for (const f of clientPrefaceFrames()) sendOnSocket(client, f, actions);
    record(client, { type: 'transportCreated' }, actions, undefined, { full: true });
  };

  const startServer = (): void => {
    server.timerStale = true;
    server.machine = serverMachine(createServerConn(serverFeatures, serverConfig, now, flowSettings(sc.server.window))) as ConnMachine<unknown>;
    const actions: TraceAction[] = [];
    for (const f of serverPrefaceFrames()) sendOnSocket(server, f, actions);
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
        stepPeer(p, tracing ? { type: 'socketTimedOut' } : SOCKET_TIMED_OUT);
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
        p.recv.clear(); // RST discards whatever was not read yet.
        if (p.lingering) {
          p.lingering = false;
          p.socketClosed = true;
          record(p, { type: 'signalArrived', signal: 'RST', from: d.from }, [], undefined);
          return;
        }
        record(p, { type: 'signalArrived', signal: 'RST', from: d.from }, [], undefined);
        stepPeer(p, tracing ? { type: 'resetReceived' } : RESET_RECEIVED);
        return;
      default:
        assertNever(d, 'delivery');
    }
  };

  /** An application job that is due: run it now, or later when its process is paused. */
  const runApp = (item: Item & { k: 'app' }): void => {
    const p = peerOf(jobActor(item.job));
    if (!alive(p)) return;
    // A paused process runs its application late.
    const resume = p.pauses.processResumes(now);
    if (resume > now) {
      queue.push(resume, RANK_APP, item);
      return;
    }
    const r = runJob(wl, item.job, now);
    for (const e of r.events) stepPeer(p, e);
    if (r.next !== undefined && alive(p)) queue.push(r.next.at, RANK_APP, { k: 'app', job: r.next.job });
  };

  // Trace-off only: one frameRead event, refilled per read (nothing keeps a reference to it).
  const readEvent: { type: 'frameRead'; frame: Frame } = { type: 'frameRead', frame: { type: 'SETTINGS', ack: false } };

  const handle = (item: Item): void => {
    switch (item.k) {
      case 'read': {
        const p = peerOf(item.actor);
        const u = p.recv.shift();
        if (u === undefined || p.crashed || p.socketClosed) return;
        p.lastSyscall = now;
        // read(2) took the frame out of the kernel: it may now send an ACK it held back.
        if (u.item !== 'EOF') net.frameRead?.(p.actor, now);
        if (p.lingering) {
          // The reader drains what comes in; at the peer's EOF the socket closes for good.
          if (u.item === 'EOF') record(p, { type: 'eofRead' }, closeSocket(p, p.close?.cause ?? 'eof', 'reader done after the final GOAWAY: socket closed'), undefined);
          return;
        }
        if (u.item === 'EOF') {
          stepPeer(p, tracing ? { type: 'eofRead' } : EOF_READ);
          return;
        }
        p.framesRead.add(u.item);
        if (p.machine === undefined && p.actor === 'server') startServer();
        if (tracing) stepPeer(p, { type: 'frameRead', frame: u.item }, u.sentAt, u.arrivedAt);
        else {
          readEvent.frame = u.item;
          stepPeer(p, readEvent);
        }
        return;
      }
      case 'app':
        runApp(item);
        return;
      case 'call': {
        // The next call takes its place now, whatever becomes of this one (as if queued at the start).
        const { series, index, seq0 } = item;
        const next = index + 1;
        if (next < series.count) queue.pushSeq(callAt(series, next), RANK_APP, seq0 + next, { k: 'call', series, index: next, seq0 });
        runApp({ k: 'app', job: callJob(series, index) });
        return;
      }
      case 'lingerEnd': {
        const p = peerOf(item.actor);
        if (!p.lingering || p.socketClosed || p.crashed) return;
        record(p, { type: 'network', what: 'linger', text: 'the 1 s wait after the final GOAWAY is over: socket closed' }, closeSocket(p, p.close?.cause ?? 'drained', 'linger over'), undefined);
        return;
      }
      case 'crash': {
        const p = peerOf(item.actor);
        if (p.crashed) return;
        p.crashed = true;
        p.timerStale = true;
        p.recv.clear();
        net.crash(p.actor, now);
        record(p, { type: 'crashed' }, [], undefined);
        return;
      }
      default:
        assertNever(item, 'item');
    }
  };

  /**
   * When `p`'s earliest timer fires (`Infinity`: none armed, or `p` is gone). Recomputed only
   * after `p` stepped, at the same point of the loop as it was asked every event before
   * (timerFires may draw lateness from the side's rng: once per new deadline, in the same order).
   */
  const timerDue = (p: Peer): Nanos => {
    if (!p.timerStale) return p.timerAt;
    p.timerStale = false;
    const m = p.machine;
    let t = Number.POSITIVE_INFINITY;
    if (m !== undefined && !p.crashed && !m.closed) {
      t = m.nextTimerAt();
      if (t !== Number.POSITIVE_INFINITY && !p.pauses.timersExact) t = p.pauses.timerFires(t);
    }
    p.timerAt = t;
    return t;
  };

  const netNotes: NetNote[] = [];
  let sameInstant = 0;
  // The options are built before anything else happens: grpc-go logs its clamp warnings then.
  if (serverConfig.clamped !== undefined) record(server, { type: 'keepaliveClamped', ...serverConfig.clamped }, [], undefined);
  if (clientConfig.clamped !== undefined) record(client, { type: 'keepaliveClamped', ...clientConfig.clamped }, [], undefined);
  startClient();
  const horizon = sc.horizon;
  /**
   * One event of the run; false when the run is over. A function of its own rather than the body
   * of the loop below: V8 then optimizes it like any hot function, with full type feedback,
   * instead of on-stack-replacing one long-running loop in this large function.
   */
  const nextStep = (): boolean => {
    if (++events > maxEvents) throw new EventBudgetError(`run exceeded ${maxEvents} events before ${now / 1e9}s (virtual)`);
    const netEvent = net.nextEvent();
    // Server before client among timers due together. Go timers fire late when the process is
    // paused or its scheduler is busy.
    const serverDue = timerDue(server);
    const clientDue = timerDue(client);
    const timerAt = clientDue < serverDue ? clientDue : serverDue;
    let at = queue.topAt();
    let rank = queue.topRank();
    let source = SOURCE_QUEUE;
    if (timerAt < at || (timerAt === at && timerRank < rank)) {
      at = timerAt;
      rank = timerRank;
      source = SOURCE_TIMER;
    }
    // The world's own next event (a queued item or a machine timer).
    const worldAt = at;
    const worldRank = rank;
    const worldSource = source;
    if (netEvent !== undefined) {
      const netRank = netEvent.kind === 'arrival' ? RANK_NET : RANK_KERNEL_TIMER;
      if (netEvent.at < at || (netEvent.at === at && netRank <= rank)) {
        at = netEvent.at;
        source = SOURCE_NET;
      }
    }
    if (pendingWrites.length > 0 && at > now) {
      // The instant is over: what each side sent during it is written. That touches only the
      // network (segments leave, timers are armed), so the world's own next event stands and
      // only the network's is looked at again.
      flushAll();
      if (onTrace !== undefined) drainTrace();
      at = worldAt;
      source = worldSource;
      const again = net.nextEvent();
      if (again !== undefined) {
        const netRank = again.kind === 'arrival' ? RANK_NET : RANK_KERNEL_TIMER;
        if (again.at < at || (again.at === at && netRank <= worldRank)) {
          at = again.at;
          source = SOURCE_NET;
        }
      }
    }
    if (at > horizon) return false;
    // Virtual time must move: a very long run of events at one instant is a loop, not a run.
    sameInstant = at === now ? sameInstant + 1 : 0;
    if (sameInstant > MAX_EVENTS_AT_ONE_INSTANT) throw new EventBudgetError(`run stuck: more than ${MAX_EVENTS_AT_ONE_INSTANT} events at ${at / 1e9}s (virtual)`);
    now = at;
    if (source === SOURCE_NET) {
      for (;;) {
        const deliveries = net.step(now, netNotes);
        if (netNotes.length > 0) {
          if (tracing) for (const n of netNotes) record(peerOf(n.actor), { type: 'network', what: n.what, text: n.text }, [], undefined);
          clearArray(netNotes);
        }
        if (deliveries.length > 0) {
          for (let i = 0; i < deliveries.length; i++) deliver(deliveries[i] as Delivery);
          break;
        }
        // Nothing reached a socket (an ACK, a TCP keepalive probe, a timer re-arm): no machine,
        // queue or timer of the world changed, so its next event is still (worldAt, worldRank).
        // The network's next events are taken here for as long as the loop above would take
        // them, counted and checked exactly as it does.
        const next = net.nextEvent();
        if (next === undefined || next.at > horizon) break;
        const nextRank = next.kind === 'arrival' ? RANK_NET : RANK_KERNEL_TIMER;
        if (!(next.at < worldAt || (next.at === worldAt && nextRank <= worldRank))) break;
        if (++events > maxEvents) throw new EventBudgetError(`run exceeded ${maxEvents} events before ${now / 1e9}s (virtual)`);
        sameInstant = next.at === now ? sameInstant + 1 : 0;
        if (sameInstant > MAX_EVENTS_AT_ONE_INSTANT) throw new EventBudgetError(`run stuck: more than ${MAX_EVENTS_AT_ONE_INSTANT} events at ${next.at / 1e9}s (virtual)`);
        now = next.at;
      }
    } else if (source === SOURCE_TIMER) {
      const p = clientDue < serverDue ? client : server;
      const name = (p.machine?.nextTimer() as { timer: TimerName }).timer;
      stepPeer(p, tracing ? { type: 'timerFired', timer: name } : timerFired(name));
    } else {
      handle(queue.popItem() as Item);
    }
    return !(done(server) && done(client));
  };
  let running = true;
  const advance = (budget: number): boolean => {
    if (!running) return false;
    if (budget === Number.POSITIVE_INFINITY) {
      while (nextStep()) {
        // Each call takes one event.
      }
      running = false;
      return false;
    }
    for (let n = 0; n < budget; n++) {
      if (!nextStep()) {
        running = false;
        return false;
      }
    }
    // Records of instants without writes are final too: hand them over between slices.
    if (onTrace !== undefined && pendingWrites.length === 0) drainTrace();
    return true;
  };
  let result: RunResult | undefined;
  return {
    head: { scenario: sc, seed, serverConfig, clientConfig },
    advance,
    events: () => events,
    now: () => now,
    finish: () => {
      running = false;
      result ??= finishRun();
      return result;
    },
  };

  function finishRun(): RunResult {
    flushAll();
    drainTrace();
    const endedAt = Math.min(now, horizon);
    const netStats = net.stats();
    // A kernel model reports what its sockets really sent: a FIN queued at close may never have
    // left, and a socket may have reset the connection after it closed (data for a closed socket).
    for (const p of [server, client]) {
      const st = netStats[p.actor];
      if (st['finSent'] === undefined && st['rstSent'] === undefined) continue;
      p.socketSent = (st['rstSent'] ?? 0) > 0 ? 'RST' : (st['finSent'] ?? 0) > 0 ? 'FIN' : undefined;
    }

    const outcome: Outcome = {
      closed: firstClose !== undefined,
      closedAt: firstClose?.at,
      closedBy: firstClose?.by,
      cause: firstClose?.cause as Outcome['cause'],
      reason: firstClose?.reason,
      server: sideOutcome(server),
      client: sideOutcome(client),
      nextClientKeepaliveTime: (client.machine?.state as { nextKeepaliveTime?: Nanos } | undefined)?.nextKeepaliveTime,
      framesSent: { server: server.framesSent.toRecord(), client: client.framesSent.toRecord() },
      framesRead: { server: server.framesRead.toRecord(), client: client.framesRead.toRecord() },
      tcp: { server: sortKeys(netStats.server), client: sortKeys(netStats.client) },
      endedAt,
      events,
    };
    return { scenario: sc, seed, serverConfig, clientConfig, outcome, trace };
  }
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

/** Octets as lower-case hex, for the trace (only when a packet observer asked for them). */
function hex(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += (bytes[i] as number).toString(16).padStart(2, '0');
  return out;
}
