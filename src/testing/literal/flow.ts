import { bdpPingData, type PingData } from './wire.js';

/**
 * grpc-go's connection-level inbound flow control (`trInFlow`, flowcontrol.go) and BDP estimator
 * (`bdpEstimator`, bdp_estimator.go), as far as they decide which WINDOW_UPDATEs and BDP PINGs a
 * transport writes when it reads DATA. Both sides of grpc-go use the same two types.
 *
 * SIMPLIFICATION (the same one kpsim documents in docs/model.md): `calculate` does not grow the
 * window from its RTT and bandwidth samples (`updateFlowControl`, which would also write a
 * WINDOW_UPDATE and a SETTINGS frame); `limit` stays at its initial value, so `bdp` never reaches
 * `bdpLimit` either.
 */
export const bdpLimit = (1 << 20) * 16;

export type BdpEstimator = { bdp: number; isSent: boolean; sample: number };
export type TrInFlow = { limit: number; unacked: number };

/** `bdpEstimator.add`: true when the caller must write a BDP PING. */
export function bdpAdd(b: BdpEstimator, n: number): boolean {
  if (b.bdp === bdpLimit) return false;
  if (!b.isSent) {
    b.isSent = true;
    b.sample = n;
    return true;
  }
  b.sample += n;
  return false;
}

/** `bdpEstimator.calculate`, called for every PING ACK read that is not the drain PING's. */
export function bdpCalculate(b: BdpEstimator, d: PingData): void {
  if (d !== bdpPingData) return;
  b.isSent = false;
  // SIMPLIFICATION: the sample is not turned into a new window (see above).
}

/** `trInFlow.onData`: the increment of a connection WINDOW_UPDATE to write now, or 0. */
export function trInFlowOnData(f: TrInFlow, n: number): number {
  f.unacked += n;
  // uint32 arithmetic: f.limit/4 rounds down.
  if (f.unacked < Math.trunc(f.limit / 4)) return 0;
  return trInFlowReset(f);
}

/** `trInFlow.reset`. */
export function trInFlowReset(f: TrInFlow): number {
  const w = f.unacked;
  f.unacked = 0;
  return w;
}
