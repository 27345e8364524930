import type { Nanos } from '../../time/units.js';
import { jiffiesAt, tcpClockUs, tcpTimeStampMs } from './kernel-clock.js';
import {
  congControl,
  fastretransAlert,
  FLAG_ACK_MAYBE_DELAYED,
  FLAG_ACKED,
  FLAG_CA_ALERT,
  FLAG_DATA,
  FLAG_DATA_ACKED,
  FLAG_DATA_SACKED,
  FLAG_DSACK_TLP,
  FLAG_DSACKING_ACK,
  FLAG_NOT_DUP,
  FLAG_ORIG_SACK_ACKED,
  FLAG_RETRANS_DATA_ACKED,
  FLAG_SET_XMIT_TIMER,
  FLAG_SLOWPATH,
  FLAG_SND_UNA_ADVANCED,
  FLAG_WIN_UPDATE,
  processTlpAck,
  rackAdvance,
  xmitRecovery,
  type Rexmit,
} from './recovery.js';
import { minRttSample, rttSample } from './rtt-estimator.js';
import { partitionPoint } from '../../lib/partition-point.js';
import type { Segment } from './segment.js';
import { pushPending, setXmitTimer } from './send-path.js';
import type { Skb, SocketOut, TcpSocket } from './socket-types.js';

/**
 * tcp_ack: an incoming ACK (net/ipv4/tcp_input.c, read at 6.1 and 6.12): SACK tagging,
 * removing what is acknowledged from the retransmission queue, the RTT sample (Karn, with the
 * timestamp echo when retransmitted data is acknowledged), restarting the retransmission timer
 * or the loss probe, loss recovery for dubious ACKs, the congestion window, and sending what the
 * ACK allows. Returns false for an ACK of data never sent (discarded).
 */
/** tcp_ack's `flag` and `delivered`: passed by reference to the helpers; one pair, reset per ACK (tcp_ack never nests). */
const ackFlag = { v: 0 };
const ackDelivered = { n: 0 };

export function processAck(s: TcpSocket, seg: Segment, now: Nanos, out: SocketOut, slowPath: boolean): boolean {
  const ack = seg.ack;
  const priorSndUna = s.sndUna;
  // An old ACK (only possible with reordering, which the model's links never do): ignored.
  if (ack < priorSndUna) return true;
  if (ack > s.sndNxt) return false;
  const flag = ackFlag;
  flag.v = slowPath ? FLAG_SLOWPATH : 0;
  if (seg.len > 0 || seg.fin) flag.v |= FLAG_DATA;
  if (ack > priorSndUna) {
    flag.v |= FLAG_SND_UNA_ADVANCED;
    s.retransmits = 0;
  }
  const priorPackets = s.packetsOut;
  const priorDelivered = ackDelivered;
  priorDelivered.n = 0;
  if ((flag.v & (FLAG_SLOWPATH | FLAG_SND_UNA_ADVANCED)) === FLAG_SND_UNA_ADVANCED) {
    s.sndUna = ack;
    flag.v |= FLAG_WIN_UPDATE;
  } else {
    s.sndUna = ack;
    if (seg.sack !== undefined) flag.v |= sacktag(s, seg.sack, priorSndUna, now, priorDelivered);
  }
  s.probesOut = 0;
  s.rcvTstamp = jiffiesAt(s.cfg.clock, now);
  if (priorPackets === 0) {
    if (s.tlpHighSeq !== 0) processTlpAck(s, ack, flag.v);
    return true;
  }
  flag.v |= cleanRtxQueue(s, priorSndUna, now, seg.tsecr, priorDelivered);
  if (s.tlpHighSeq !== 0) processTlpAck(s, ack, flag.v);
  let rexmit: Rexmit = 'none';
  const dubious = !(flag.v & FLAG_NOT_DUP) || flag.v & FLAG_CA_ALERT || s.caState !== 'Open';
  if (dubious) {
    const numDupack = flag.v & (FLAG_SND_UNA_ADVANCED | FLAG_NOT_DUP | FLAG_DSACKING_ACK) ? 0 : 1;
    rexmit = fastretransAlert(s, numDupack, flag, now, seg.tsecr);
  }
  if (flag.v & FLAG_SET_XMIT_TIMER) setXmitTimer(s, now);
  congControl(s, priorDelivered.n, flag.v);
  xmitRecovery(s, rexmit, now, out, pushPending);
  return true;
}

/**
 * tcp_sacktag_write_queue, reduced: a D-SACK (first block below the cumulative ACK, or inside
 * the second) is noted for undo and the loss probe; every skb wholly inside a SACK block is
 * marked delivered.
 */
function sacktag(s: TcpSocket, blocks: readonly number[], priorSndUna: number, now: Nanos, delivered: { n: number }): number {
  let flag = 0;
  let first = 0;
  const b0s = blocks[0] as number;
  const b0e = blocks[1] as number;
  const isDsack = b0s < s.sndUna || (blocks.length >= 4 && b0s >= (blocks[2] as number) && b0e <= (blocks[3] as number));
  if (isDsack) {
    flag |= FLAG_DSACKING_ACK;
    if (s.undoMarker !== 0 && s.undoRetrans > 0) s.undoRetrans--;
    if (s.tlpHighSeq !== 0 && b0e >= s.tlpHighSeq) flag |= FLAG_DSACK_TLP;
    first = 2;
  }
  void priorSndUna;
  for (let k = first; k + 1 < blocks.length; k += 2) {
    const start = blocks[k] as number;
    const end = blocks[k + 1] as number;
    // The queue is in sequence order: skip the skbs before the block by bisection.
    const q = s.rtxQueue;
    for (let i = partitionPoint(q.length, (j) => (q.at(j) as Skb).seq < start); i < q.length; i++) {
      const skb = q.at(i) as Skb;
      if (skb.end > end) break;
      if (skb.sackedAcked) continue;
      if (skb.lost) {
        skb.lost = false;
        s.lostOut--;
      }
      if (skb.sackedRetrans) {
        skb.sackedRetrans = false;
        s.retransOut--;
      }
      skb.sackedAcked = true;
      s.sackedOut++;
      delivered.n++;
      flag |= FLAG_DATA_SACKED;
      if (!skb.everRetrans && skb.end <= s.highSeq) flag |= FLAG_ORIG_SACK_ACKED;
      rackAdvance(s, skb, now);
    }
  }
  return flag;
}

/** tcp_clean_rtx_queue: drop what `snd_una` now covers, and take the RTT sample. */
function cleanRtxQueue(s: TcpSocket, priorSndUna: number, now: Nanos, tsecr: number, delivered: { n: number }): number {
  let flag = 0;
  let firstAckt: Nanos | undefined;
  let pkts = 0;
  const priorSacked = s.sackedOut;
  while (s.rtxQueue.length > 0) {
    const skb = s.rtxQueue.first() as Skb;
    if (skb.end > s.sndUna) break;
    if (skb.everRetrans) {
      if (skb.sackedRetrans) s.retransOut--;
      flag |= FLAG_RETRANS_DATA_ACKED;
    } else if (!skb.sackedAcked) {
      if (firstAckt === undefined) firstAckt = skb.sentAt;
      if (skb.end <= s.highSeq) flag |= FLAG_ORIG_SACK_ACKED;
    }
    if (skb.sackedAcked) s.sackedOut--;
    else {
      delivered.n++;
      // tcp_skb_spurious_retrans: a retransmitted skb whose original the echo shows arrived.
      if (!(skb.retrans && tsecr !== 0 && tsecr < tcpTimeStampMs(skb.sentAt))) rackAdvance(s, skb, now);
    }
    if (skb.lost) s.lostOut--;
    s.packetsOut--;
    pkts++;
    flag |= FLAG_DATA_ACKED;
    s.rtxQueue.shift();
  }
  let seqRttUs = -1;
  if (firstAckt !== undefined && !(flag & FLAG_RETRANS_DATA_ACKED)) {
    seqRttUs = tcpClockUs(now) - tcpClockUs(firstAckt);
    if (pkts === 1 && priorSacked === 0 && s.sndUna - priorSndUna < s.cfg.mss) flag |= FLAG_ACK_MAYBE_DELAYED;
  }
  // tcp_ack_update_rtt: Karn's rule, then the timestamp echo (tcp_rtt_tsopt_us, at least 1 ms).
  let rttUs = seqRttUs;
  if (rttUs < 0 && tsecr !== 0 && flag & FLAG_ACKED) rttUs = Math.max(1, tcpTimeStampMs(now) - tsecr) * 1000;
  if (rttUs >= 0) {
    const j = jiffiesAt(s.cfg.clock, now);
    if (!(flag & FLAG_ACK_MAYBE_DELAYED && s.rtt.minRttUs !== 0 && rttUs > s.rtt.minRttUs)) minRttSample(s.rtt, rttUs, j, s.cfg.clock.hz);
    rttSample(s.rtt, s.cfg.clock, rttUs, s.sndUna, s.sndNxt);
    s.backoff = 0;
  }
  if (flag & FLAG_ACKED) flag |= FLAG_SET_XMIT_TIMER;
  void FLAG_DATA_SACKED;
  return flag;
}
