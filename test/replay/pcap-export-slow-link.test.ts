/**
 * The pcap export at 1 bit/s (issue "Robustness"). The model has no handshake: both sockets exist
 * from the run's time 0, so the export lays the SYN, SYN-ACK and ACK out 3, 2 and 1 ms before it.
 * It used to lay them out before the first packet the capturing host saw; at 1 bit/s the client's
 * first data takes 3000 s to serialize, the server's first packet is its own TCP keepalive probe at
 * 15.1 s, and the handshake went there. Time 0 of anything reading the file (tshark's relative
 * times, `kpsim replay`) then ran 15.1 s late, against the run's timeline.
 */
import { describe, expect, it } from 'vitest';
import { analyzeCapture, DEFAULT_EPOCH_NANOS } from '../../src/capture/capture.js';
import { replayInputFromConnection } from '../../src/replay/from-capture.js';
import { replayCapture } from '../../src/replay/replay.js';
import { renderPcap } from '../../src/report/pcap-export.js';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import type { PacketRecord } from '../../src/sim/packet-record.js';
import { runScenario } from '../../src/sim/world.js';

const MS = 1_000_000;
const seedFlaw = BUILTIN_SCENARIOS['seed-flaw'] as { network: { clientToServer: object; serverToClient: object } };
const scenario = parseScenario({ ...seedFlaw, network: { ...seedFlaw.network, clientToServer: { ...seedFlaw.network.clientToServer, rate: '1bit' } } }, 'builtin:seed-flaw');

describe('pcap export on a 1 bit/s link', () => {
  const packets: PacketRecord[] = [];
  const run = runScenario(scenario, { trace: false, onPacket: (p) => packets.push(p) });

  it.each(['server', 'client'] as const)('captured at the %s: the handshake just before time 0, every packet at the time the run gave it', (host) => {
    const a = analyzeCapture(renderPcap(packets, { at: host }));
    const epochs = a.file.packets.map((p) => p.epochNanos - DEFAULT_EPOCH_NANOS);
    expect(epochs.slice(0, 3)).toEqual([-3n * 1_000_000n, -2n * 1_000_000n, -1n * 1_000_000n]);
    // The host's own packets when they leave its link, the peer's when they arrive (the timeline's "arrives"), lost ones never.
    const want = packets.flatMap((p) => {
      const at = p.from === host ? p.departAt : p.arriveAt;
      return at === undefined ? [] : [BigInt(at)];
    });
    expect(epochs.slice(3)).toEqual(want.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)));
  });

  it('at the server: the first packet it sees is its own keepalive probe, 15 s in, and the file still starts at the run\'s time 0', () => {
    const probe = packets.filter((p) => p.from === 'server').map((p) => p.departAt);
    const fromClient = packets.flatMap((p) => (p.from === 'client' && p.arriveAt !== undefined ? [p.arriveAt] : []));
    expect(Math.min(...probe)).toBeGreaterThan(15_000 * MS);
    expect(Math.min(...fromClient)).toBeGreaterThan(3_000_000 * MS); // 375 bytes at 1 bit/s
    const a = analyzeCapture(renderPcap(packets, { at: 'server' }));
    expect(a.file.startEpochNanos).toBe(DEFAULT_EPOCH_NANOS - 3_000_000n);
  });

  it("replayed, the server's RST is where the run put it, 3 ms later on the replay's clock (it was 15.1 s early)", () => {
    const [conn] = analyzeCapture(renderPcap(packets, { at: 'server' })).connections;
    if (conn === undefined) throw new Error('no connection');
    const r = replayCapture(replayInputFromConnection(conn, 'server').input, { side: 'server', scenario, tcp: conn });
    const rst = packets.find((p) => p.from === 'server' && p.kind === 'rst');
    expect(run.outcome.closed).toBe(true);
    expect(r.captured.modelledSideClosed).toEqual({ at: (rst?.departAt ?? Number.NaN) + 3 * MS, how: 'RST' });
  });
});
