import { describeFrame } from '../frames/frame.js';
import { assertNever } from '../lib/assert-never.js';
import type { TraceAction, TraceRecord, WorldEvent } from '../sim/trace.js';
import { formatInstant } from './clock-format.js';

/**
 * The "what happened" and "actions" columns of a timeline line, in plain words: `read PING[ack]
 * (keepalive)`, `kpTimer fired`, `app: stream 1 opened`; `-> send PING (keepalive), arrives 60.020s`.
 */

/**
 * What happened at one step. `readNotes` are the network's notes on the frame a `frameRead` read
 * (see `createReadNotes`); with them, or when the frame waited in the receive buffer, the line says
 * when it was sent and what held it.
 */
export function describeStepEvent(r: TraceRecord, readNotes: readonly string[] = []): string {
  const e = r.event;
  if (e.type === 'frameRead') {
    const extra: string[] = [];
    if (r.sentAt !== undefined && (readNotes.length > 0 || (r.arrivedAt !== undefined && r.arrivedAt < r.at))) {
      extra.push(`sent ${formatInstant(r.sentAt)}`);
    }
    if (r.arrivedAt !== undefined && r.arrivedAt < r.at) extra.push(`arrived ${formatInstant(r.arrivedAt)}, waited for the reader`);
    const held = readNotes.map(heldBy);
    extra.push(...held);
    return `read ${describeFrame(e.frame)}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
  }
  return describeOtherEvent(e);
}

/** `fault #1: keepalive PING_ACK #1 held 6000ms` -> `held by fault #1 (keepalive PING_ACK #1 held 6000ms)`. */
function heldBy(note: string): string {
  const m = /^(fault #\d+): (.*)$/.exec(note);
  return m === null ? note : `held by ${m[1] ?? ''} (${m[2] ?? ''})`;
}

function describeOtherEvent(e: Exclude<WorldEvent, { type: 'frameRead' }>): string {
  switch (e.type) {
    case 'transportCreated':
      return 'transport created';
    case 'timerFired':
      return `${e.timer} fired`;
    case 'streamStarted':
      return e.unary ? `app: unary call on stream ${e.streamId}` : `app: stream ${e.streamId} opened`;
    case 'messageWritten':
      return `app: message on stream ${e.streamId} (${e.size} B${e.endStream ? ', END_STREAM' : ''})`;
    case 'handlerReturned':
      return `app: handler for stream ${e.streamId} returned`;
    case 'eofRead':
      return 'read EOF (the peer closed its socket)';
    case 'resetReceived':
      return 'read error: connection reset by peer';
    case 'socketTimedOut':
      return 'read error: connection timed out (kernel abort)';
    case 'network':
      return `tcp: ${e.text}`;
    case 'keepaliveClamped':
      return `grpc-go log WARNING: ${e.log}`;
    case 'crashed':
      return 'process crashed';
    case 'signalArrived':
      return `socket received ${e.signal}${e.from === 'middlebox' ? ' from a middlebox' : ''}`;
    default:
      return assertNever(e);
  }
}

/** One action: `-> send PING (keepalive), arrives 60.020s`, `-> close transport (keepalive): "..."`. */
export function describeAction(a: TraceAction): string {
  switch (a.type) {
    case 'sendFrame': {
      const arrives = a.arrivesAt === undefined ? '' : `, arrives ${formatInstant(a.arrivesAt)}`;
      const notes = a.notes.length > 0 ? ` (${a.notes.join('; ')})` : a.arrivesAt === undefined ? ', not delivered' : '';
      return `-> send ${describeFrame(a.frame)}${arrives}${notes}`;
    }
    case 'close':
      // The socket's FIN or RST, when one goes out, is its own `sendSignal` action.
      return `-> close transport (${a.cause}): "${a.reason}"`;
    case 'sendSignal':
      return `-> ${a.signal}${a.arrivesAt === undefined ? `, not delivered${a.notes.length > 0 ? ` (${a.notes.join('; ')})` : ''}` : `, arrives ${formatInstant(a.arrivesAt)}`}`;
    case 'streamFailed':
      return `-> stream ${a.streamId} fails: ${a.error}`;
    case 'requestReceived':
      return `-> app: request on stream ${a.streamId} complete, handler runs`;
    case 'log':
      return `-> log: ${a.text}`;
    default:
      return assertNever(a);
  }
}
