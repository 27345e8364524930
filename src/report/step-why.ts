import type { CloseCause } from '../conn/types.js';
import { MAX_STREAM_ID, type Frame } from '../frames/frame.js';
import { GRPC_WARNING_LOG_ENV } from '../keepalive/params.js';
import type { NetNoteKind } from '../sim/network.js';
import type { StateValue, TraceAction, TraceRecord } from '../sim/trace.js';

/**
 * The short "why" under a timeline line, derived from the record's data (its event, actions and
 * state changes), never from its text. Each explanation is one entry of `STEP_WHY`, keyed by the
 * close cause or the branch of upstream's code the record shows.
 */
export type StepWhyKey =
  | `closed:${CloseCause}`
  | 'kpTimer:activity'
  | 'kpTimer:activityFlag'
  | 'kpTimer:ping'
  | 'kpTimer:waiting'
  | 'kpTimer:dormant'
  | 'kpTimer:wake'
  | 'idleTimer:rearm'
  | 'drain:idle'
  | 'drain:age'
  | 'drain:final'
  | 'ping:strike'
  | 'goaway:tooManyPings'
  | 'crashed'
  | 'arrivedAfterClose'
  | 'tcp:retransmit'
  | 'tcp:probe'
  | 'tcp:fast'
  | 'tcp:stray'
  | 'tcp:orphanGone'
  | 'tcp:abort'
  | 'keepalive:clamped';

export const STEP_WHY = {
  'closed:keepalive': 'no frame read within Timeout of the PING: grpc-go closes without GOAWAY',
  'closed:too_many_pings': 'more than maxPingStrikes (2) pings too soon: GOAWAY ENHANCE_YOUR_CALM "too_many_pings", then close',
  'closed:max_age': 'MaxConnectionAgeGrace ran out after the age drain: force close, open streams fail',
  'closed:drained': 'graceful drain finished: second GOAWAY sent and no stream left',
  'closed:goaway': 'the server sent GOAWAY: the client closes once no stream is left',
  'closed:eof': 'the peer closed its socket (FIN): the reader gets EOF and the transport closes',
  'closed:reset': 'the peer\'s socket answered with RST: reads fail with "connection reset by peer"',
  'closed:tcp_abort': 'the kernel gave up on the socket (ETIMEDOUT): not a keepalive close, the read fails with "connection timed out"',
  'kpTimer:activity': 'read activity since last check: re-armed at lastRead+Time',
  'kpTimer:activityFlag': 'read activity in the last period: re-armed Time later',
  'kpTimer:ping': 'nothing read for Time: ping, wait Timeout',
  'kpTimer:waiting': 'PING outstanding, nothing read yet: sleep min(Time, time left)',
  'kpTimer:dormant': 'no active stream and PermitWithoutStream false: keepalive goes dormant',
  'kpTimer:wake': 'a stream started: dormant keepalive wakes up and pings',
  'idleTimer:rearm': 'not idle for MaxConnectionIdle yet: re-armed for the rest of it',
  'drain:idle': 'no active stream for MaxConnectionIdle: graceful drain (GOAWAY 2^31-1, then a PING)',
  'drain:age': 'MaxConnectionAge reached: graceful drain; force close after MaxConnectionAgeGrace',
  'drain:final': 'drain PING acknowledged (or the wait ran out): second GOAWAY with the last stream id',
  'ping:strike': 'PING sooner than MinTime after the last one (or with no stream): a ping strike',
  'goaway:tooManyPings': 'GOAWAY too_many_pings: the client doubles keepalive Time for its next connection',
  crashed: 'the process is gone: it sends and reads nothing, and its socket sends neither FIN nor RST',
  arrivedAfterClose: 'data for a closed socket: the kernel answers with RST',
  'tcp:retransmit': 'TCP: no ACK within the RTO; the oldest unacknowledged segment is sent again and the RTO doubles',
  'tcp:probe': 'TCP tail loss probe: no ACK within 2 SRTT + 200 ms of the last send; the last segment goes once more, before any RTO',
  'tcp:fast': 'TCP: a later segment was delivered (SACK) and RACK judged this one lost: resent without waiting for the RTO',
  'tcp:stray': 'the host has no socket for this connection any more: it answers every segment with RST',
  'tcp:orphanGone': 'the socket was closed but still held data (and maybe its FIN); its kernel stops trying and forgets the connection',
  'tcp:abort': 'TCP: the kernel gives up (tcp_retries2, TCP_USER_TIMEOUT or TCP keepalive) and fails the socket with ETIMEDOUT',
  'keepalive:clamped': `keepalive Time below grpc-go's floor is raised to it when the options are built; the default logger prints the warning only with ${GRPC_WARNING_LOG_ENV}`,
} as const satisfies Record<StepWhyKey, string>;

/** The explanation for each kind of network note (none: the line speaks for itself). */
const NET_WHY = {
  rto: 'tcp:retransmit',
  tlp: 'tcp:probe',
  fast: 'tcp:fast',
  probe: undefined,
  fin: undefined,
  stray: 'tcp:stray',
  afterClose: 'arrivedAfterClose',
  orphanGone: 'tcp:orphanGone',
  abort: 'tcp:abort',
  linger: undefined,
  modelledFrame: undefined,
} as const satisfies Record<NetNoteKind, StepWhyKey | undefined>;

/** Which explanation applies to a record, if any (a close outranks everything else). */
export function classifyStep(r: TraceRecord): StepWhyKey | undefined {
  const close = r.actions.find((a): a is Extract<TraceAction, { type: 'close' }> => a.type === 'close');
  if (close !== undefined) return `closed:${close.cause as CloseCause}`;
  const e = r.event;
  switch (e.type) {
    case 'timerFired':
      switch (e.timer) {
        case 'kpTimer':
          if (sent(r, (f) => f.type === 'PING' && !f.ack && f.payload === 'keepalive')) return 'kpTimer:ping';
          if (changedTo(r, 'kpDormant', true)) return 'kpTimer:dormant';
          if ('prevNano' in r.changes) return 'kpTimer:activity';
          if (changedTo(r, 'activity', false)) return 'kpTimer:activityFlag';
          if ('kpTimeoutLeft' in r.changes || 'timeoutLeft' in r.changes) return 'kpTimer:waiting';
          return undefined;
        case 'idleTimer':
          if (sentFirstGoAway(r)) return 'drain:idle';
          return 'idleTimer' in r.changes && r.changes['idleTimer']?.[1] !== null ? 'idleTimer:rearm' : undefined;
        case 'ageTimer':
          return sentFirstGoAway(r) ? 'drain:age' : undefined;
        case 'drainTimer':
          return sent(r, (f) => f.type === 'GOAWAY') ? 'drain:final' : undefined;
        default:
          return undefined;
      }
    case 'frameRead': {
      const f = e.frame;
      if (f.type === 'PING' && f.ack && f.payload === 'drain' && sent(r, (g) => g.type === 'GOAWAY')) return 'drain:final';
      if (increased(r.changes['pingStrikes'])) return 'ping:strike';
      if (f.type === 'GOAWAY' && f.code === 'ENHANCE_YOUR_CALM' && f.debugData === 'too_many_pings') return 'goaway:tooManyPings';
      return undefined;
    }
    case 'streamStarted':
      return changedTo(r, 'kpDormant', false) ? 'kpTimer:wake' : undefined;
    case 'crashed':
      return 'crashed';
    case 'network':
      return NET_WHY[e.what];
    case 'keepaliveClamped':
      return 'keepalive:clamped';
    default:
      return undefined;
  }
}

/** The explanation for a record, or `undefined` when the line speaks for itself. */
export function stepWhy(r: TraceRecord): string | undefined {
  const key = classifyStep(r);
  return key === undefined ? undefined : STEP_WHY[key];
}

function sent(r: TraceRecord, test: (f: Frame) => boolean): boolean {
  return r.actions.some((a) => a.type === 'sendFrame' && test(a.frame));
}

function sentFirstGoAway(r: TraceRecord): boolean {
  return sent(r, (f) => f.type === 'GOAWAY' && f.lastStreamId === MAX_STREAM_ID);
}

function changedTo(r: TraceRecord, name: string, value: StateValue): boolean {
  const c = r.changes[name];
  return c !== undefined && c[1] === value;
}

function increased(c: readonly [StateValue, StateValue] | undefined): boolean {
  return c !== undefined && typeof c[0] === 'number' && typeof c[1] === 'number' && c[1] > c[0];
}
