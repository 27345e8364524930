import { describe, expect, it } from 'vitest';
import { LINUX_TCP, retransmissionBudget } from '../../../src/transport/tcp/linux-constants.js';
import { currentRto, createTcpDirection, tcpAckArrived, tcpRtoFired, tcpSegmentArrived, tcpWrite } from '../../../src/transport/tcp/tcp-direction.js';
import { MILLISECOND as MS, SECOND as S } from '../../../src/time/units.js';

const cfg = { mss: 1448, bitsPerSecond: undefined, userTimeout: undefined, retries2: 15 };

describe('Linux constants', () => {
  it('tcp_retries2 = 15 gives the well-known 924.6 s budget; small boundaries are pure doubling', () => {
    expect(retransmissionBudget(15)).toBe(924_600 * MS);
    expect(retransmissionBudget(3)).toBe(15 * 200 * MS);
  });
});

describe('RTO estimation (RFC 6298 with the Linux floor)', () => {
  it('starts at 1 s, then SRTT + max(4 RTTVAR, 200 ms) after the first sample', () => {
    const d = createTcpDirection<string>(cfg);
    expect(currentRto(d)).toBe(LINUX_TCP.initialRto);
    tcpWrite(d, 'a', 100, 0);
    tcpAckArrived(d, 100, 20 * MS); // sample 20 ms: SRTT 20, RTTVAR 10 -> 20 + max(40, 200)
    expect(currentRto(d)).toBe(220 * MS);
  });
  it('Karn: no sample from a retransmitted segment', () => {
    const d = createTcpDirection<string>(cfg);
    tcpWrite(d, 'a', 100, 0);
    tcpRtoFired(d, 1 * S);
    expect(tcpAckArrived(d, 100, 1020 * MS).rttSample).toBeUndefined();
  });
  it('the sequence sample runs from the oldest newly acknowledged segment, not the newest', () => {
    const d = createTcpDirection<string>(cfg);
    tcpWrite(d, 'a', 100, 0);
    tcpWrite(d, 'b', 100, 5 * MS);
    expect(tcpAckArrived(d, 200, 25 * MS).rttSample).toBe(25 * MS);
  });
  it('timestamps: an ACK covering a retransmission samples from the echoed send time of the hole-filling copy', () => {
    // a (0..100) is lost, b (100..200) arrives out of order; a's retransmission at 1 s fills the
    // hole and the receiver acknowledges both, echoing the retransmission's TSval.
    const tx = createTcpDirection<string>(cfg);
    tcpWrite(tx, 'a', 100, 0);
    tcpWrite(tx, 'b', 100, 0);
    const rx = createTcpDirection<string>(cfg);
    tcpWrite(rx, 'a', 100, 0);
    tcpWrite(rx, 'b', 100, 0);
    tcpSegmentArrived(rx, 100, 100, 0); // b, out of order: TS.Recent stays unset
    expect(rx.tsRecent).toBeUndefined();
    tcpRtoFired(tx, 1 * S);
    const filled = tcpSegmentArrived(rx, 0, 100, 1 * S); // a again, sent at 1 s
    expect(filled.ack).toBe(200);
    expect(rx.tsRecent).toBe(1 * S);
    // Without the option (Karn) no sample; with it, 20 ms, not the 1.02 s since b was sent.
    const karn = createTcpDirection<string>(cfg);
    tcpWrite(karn, 'a', 100, 0);
    tcpWrite(karn, 'b', 100, 0);
    tcpRtoFired(karn, 1 * S);
    expect(tcpAckArrived(karn, 200, 1020 * MS).rttSample).toBeUndefined();
    expect(tcpAckArrived(tx, 200, 1020 * MS, rx.tsRecent).rttSample).toBe(20 * MS);
  });
  it('timestamp samples are whole ticks of the 1 ms TCP clock, at least one', () => {
    const d = createTcpDirection<string>(cfg);
    tcpWrite(d, 'a', 100, 0);
    tcpRtoFired(d, 1 * S);
    expect(tcpAckArrived(d, 100, 1 * S + 300_000, 1 * S).rttSample).toBe(1 * MS);
    const e = createTcpDirection<string>(cfg);
    tcpWrite(e, 'a', 100, 0);
    tcpRtoFired(e, 1 * S);
    expect(tcpAckArrived(e, 100, 1 * S + 20_700_000, 1 * S + 900_000).rttSample).toBe(20 * MS);
  });
});

describe('retransmission', () => {
  it('backs off by doubling and the RTO timer follows the retransmission', () => {
    const d = createTcpDirection<string>(cfg);
    tcpWrite(d, 'a', 100, 0);
    tcpAckArrived(d, 100, 20 * MS);
    tcpWrite(d, 'b', 100, 1 * S);
    const fires: number[] = [];
    for (let i = 0; i < 4; i++) {
      const at = d.rtoDeadline as number;
      fires.push(at - 1 * S);
      expect(tcpRtoFired(d, at).kind).toBe('retransmit');
    }
    // 220, +440, +880, +1760 ms: cumulative RTO * (2^k - 1).
    expect(fires).toEqual([220, 660, 1540, 3300].map((x) => x * MS));
  });
  it('aborts once tcp_retries2 worth of backoff has elapsed since the first transmission', () => {
    const d = createTcpDirection<string>(cfg);
    tcpWrite(d, 'a', 100, 0);
    let r = tcpRtoFired(d, d.rtoDeadline as number);
    while (r.kind === 'retransmit') r = tcpRtoFired(d, d.rtoDeadline as number);
    expect(r).toEqual({ kind: 'abort', why: 'retransmissions' });
    expect(d.rtoDeadline).toBeUndefined();
  });
  it('TCP_USER_TIMEOUT: the timer is clamped to fire when it runs out, and the socket aborts then', () => {
    const d = createTcpDirection<string>({ ...cfg, userTimeout: 5 * S });
    tcpWrite(d, 'a', 100, 0);
    let r = tcpRtoFired(d, d.rtoDeadline as number);
    let last = 0;
    while (r.kind === 'retransmit') {
      last = d.rtoDeadline as number;
      r = tcpRtoFired(d, last);
    }
    expect(last).toBe(5 * S);
    expect(r).toEqual({ kind: 'abort', why: 'user-timeout' });
  });
  it('three duplicate ACKs trigger one fast retransmit of the oldest segment', () => {
    const d = createTcpDirection<string>(cfg);
    tcpWrite(d, 'a', 4 * 1448, 0);
    const got = [1, 2, 3].map(() => tcpAckArrived(d, 0, 30 * MS).retransmit?.seq);
    expect(got).toEqual([undefined, undefined, 0]);
  });
});

describe('receiver', () => {
  it('delivers items in order only once every byte before them arrived', () => {
    const d = createTcpDirection<string>(cfg);
    tcpWrite(d, 'first', 1000, 0);
    tcpWrite(d, 'second', 1000, 0);
    expect(tcpSegmentArrived(d, 1000, 1000)).toEqual({ delivered: [], ack: 0 });
    const r = tcpSegmentArrived(d, 0, 1000);
    expect(r.delivered.map((i) => i.payload)).toEqual(['first', 'second']);
    expect(r.ack).toBe(2000);
  });
  it('serializes at the link rate: a 1 MB write on 1 Mbit/s takes about 8.3 s to leave', () => {
    const d = createTcpDirection<string>({ ...cfg, bitsPerSecond: 1_000_000 });
    const segs = tcpWrite(d, 'bulk', 1_000_000, 0);
    const last = segs[segs.length - 1];
    // 1,000,000 B in 691 segments, each with 52 B of headers: (1,000,000 + 691*52) * 8 bits / 1e6.
    expect(segs).toHaveLength(691);
    expect(last?.departAt).toBeGreaterThan(8.28 * S);
    expect(last?.departAt).toBeLessThan(8.30 * S);
  });
});
