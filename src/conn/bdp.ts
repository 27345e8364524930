import type { Frame } from '../frames/frame.js';

/**
 * What keepalive sees of grpc-go's flow control: every DATA frame read may make the reader queue a
 * connection WINDOW_UPDATE and a BDP PING (bdpEstimator.add, trInFlow.onData/reset in
 * internal/transport/{bdp_estimator,flowcontrol,http2_server,http2_client}.go). Their ACKs are
 * reads on the other side, so they move `lastRead`.
 *
 * The BDP estimator runs only with a dynamic window: setting InitialWindowSize or
 * InitialConnWindowSize (at least 64 KiB) turns it off, and the connection window is then the
 * configured one. With a large static window, WINDOW_UPDATEs become rare, which is what makes the
 * head-of-line scenario possible.
 *
 * SIMPLIFICATION: with a dynamic window the limit stays at the initial 65535 bytes (upstream grows
 * it from BDP samples); stream-level window updates, sent as the application reads, are not
 * modelled; the sender does not block on the peer's window.
 */
export const INITIAL_CONN_WINDOW = 65535;

export type FlowSettings = {
  /** BDP estimation on (grpc-go's default: no window option set). */
  readonly dynamicWindow: boolean;
  /** The connection receive window: 65535, or InitialConnWindowSize when set. */
  readonly connWindow: number;
};

export const DEFAULT_FLOW: FlowSettings = { dynamicWindow: true, connWindow: INITIAL_CONN_WINDOW };

export type FlowState = {
  readonly settings: FlowSettings;
  /** bdpEstimator.isSent: a BDP PING is out and its ACK not yet read. */
  bdpPingSent: boolean;
  /** trInFlow.unacked: bytes received since the last connection WINDOW_UPDATE. */
  unacked: number;
};

export function initialFlow(settings: FlowSettings = DEFAULT_FLOW): FlowState {
  return { settings, bdpPingSent: false, unacked: 0 };
}

/** The frames a DATA frame's read makes the reader queue: 0-2 connection WINDOW_UPDATEs, then maybe a BDP PING. */
export function onDataRead(flow: FlowState, length: number): Frame[] {
  // handleData feeds every DATA frame to the estimator, even an empty END_STREAM one.
  let bdpPing = false;
  if (flow.settings.dynamicWindow && !flow.bdpPingSent) {
    flow.bdpPingSent = true;
    bdpPing = true;
  }
  const updates: number[] = [];
  flow.unacked += length;
  // trInFlow compares with limit/4 in integer arithmetic (16383 for the default window).
  if (flow.unacked >= Math.floor(flow.settings.connWindow / 4)) {
    updates.push(flow.unacked);
    flow.unacked = 0;
  }
  if (bdpPing && flow.unacked > 0) {
    // Upstream returns the window first so that a proxy does not see a PING without a window update.
    updates.push(flow.unacked);
    flow.unacked = 0;
  }
  const frames: Frame[] = updates.map((increment) => ({ type: 'WINDOW_UPDATE', streamId: 0, increment }));
  if (bdpPing) frames.push({ type: 'PING', ack: false, payload: 'bdp' });
  return frames;
}
