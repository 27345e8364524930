import type { Frame, PingPayloadKind } from '../frames/frame.js';
import type { ConnAction } from './types.js';

/**
 * The PING frames both sides write on every keepalive cycle, and the actions that send them, made
 * once: frames are immutable values, so one object can stand for every PING of its kind. Saves
 * two allocations per PING on the simulator's hottest path; traces print the same.
 */
const sendPing = (ack: boolean, payload: PingPayloadKind): ConnAction => {
  const frame: Frame = { type: 'PING', ack, payload };
  return { type: 'sendFrame', frame };
};

export const SEND_KEEPALIVE_PING: ConnAction = sendPing(false, 'keepalive');

const ACKS = {
  keepalive: sendPing(true, 'keepalive'),
  drain: sendPing(true, 'drain'),
  bdp: sendPing(true, 'bdp'),
  other: sendPing(true, 'other'),
} as const satisfies Readonly<Record<PingPayloadKind, ConnAction>>;

/** The action that answers a PING carrying `payload`. */
export function sendPingAck(payload: PingPayloadKind): ConnAction {
  switch (payload) {
    case 'keepalive':
      return ACKS.keepalive;
    case 'drain':
      return ACKS.drain;
    case 'bdp':
      return ACKS.bdp;
    default:
      return ACKS.other;
  }
}
