/**
 * `replay` and the kernel: kpsim's Linux socket for the replayed side, fed a real capture. The
 * captures are the real-kernel oracle's (grpc-go 1.33.3 on Linux 6.18, test/fixtures/real-kernel),
 * so what the real kernel did is known: the application's own events give the abort time.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCapture, type Http2Connection } from '../../src/capture/capture.js';
import type { Actor } from '../../src/conn/types.js';
import { replayInputFromConnection } from '../../src/replay/from-capture.js';
import { MATCH_WINDOW, type KernelReplay } from '../../src/replay/kernel-replay.js';
import { replayCapture } from '../../src/replay/replay.js';
import { renderReplayText, replayJson } from '../../src/report/replay-report.js';
import { parseScenario } from '../../src/scenario/load.js';
import { loadFixture } from '../../oracle/kernel/fixtures.js';

/** The fixture's first connection (the one the harness dialed), and the real run's events. */
function fixture(name: string, side: Actor): { conn: Http2Connection; run: ReturnType<typeof loadFixture> } {
  const run = loadFixture(name);
  const conns = analyzeCapture(new Uint8Array(run.pcap[side])).connections.filter((c) => c.protocol === 'http2');
  const dial = run.events.find((e) => e.side === 'client' && e.ev === 'dialed');
  const port = Number(String(dial?.['local']).split(':').pop());
  const conn = conns.find((c) => c.client.port === port);
  if (conn === undefined) throw new Error(`${name}: no connection from port ${port}`);
  return { conn, run };
}

function replay(conn: Http2Connection, side: Actor, scenario: object) {
  const sc = parseScenario({ name: 'replay', ...scenario }, 'test');
  return replayCapture(replayInputFromConnection(conn, side).input, { side, scenario: sc, tcp: conn });
}

const modelled = (k: ReturnType<typeof replay>['kernel']): KernelReplay => {
  if ('notModelled' in k) throw new Error(`kernel not modelled: ${k.notModelled}`);
  return k;
};

describe('replay: what the kernel would have done with a real capture', () => {
  const { conn, run } = fixture('user-timeout-abort', 'client');
  // The real client's transport ended when its kernel aborted (TCP_USER_TIMEOUT 3 s): its conn-end event.
  const realAbort = run.events.find((e) => e.side === 'client' && e.ev === 'conn-end')?.t as number;
  const connectToFirstPacket = 0; // the capture's time 0 is the SYN, sent at the connect

  it('TCP_USER_TIMEOUT = Timeout: the model socket retransmits as the capture does and gives up when the real one did', () => {
    const r = replay(conn, 'client', { client: { version: '1.33.3', keepalive: { time: '10s', timeout: '3s' }, kernel: { version: '6.18' } } });
    const k = modelled(r.kernel);
    expect(k.userTimeout).toBe(3e9);
    expect(k.captured.length).toBeGreaterThan(2);
    expect(k.matched).toBe(k.captured.length);
    expect(k.grid.fitted).toBe(true);
    expect(k.abort?.why).toBe('user-timeout');
    expect(k.abort?.afterCapture).toBe(false);
    expect(Math.abs((k.abort?.at as number) - (realAbort - connectToFirstPacket))).toBeLessThanOrEqual(MATCH_WINDOW);
    // The clock starts at the first RTO retransmission, not at the write or the loss probe.
    expect(k.abortEpisodeStart).toBeGreaterThan(k.captured[0]?.at as number);
    const text = renderReplayText(r, { file: 'x.pcap', connection: conn, connections: 1, conversion: replayInputFromConnection(conn, 'client'), startEpochNanos: 0n });
    expect(text).toMatch(/TCP_USER_TIMEOUT 3s \(grpc-go 1\.33\.3 sets it to the client's keepalive Timeout\): the kernel gives up on the socket at 6\.4\d\ds/);
    expect(text).toContain('so the connection dies anyway');
  });

  it('without client keepalive there is no TCP_USER_TIMEOUT: the same stall does not end the socket within the capture', () => {
    const k = modelled(replay(conn, 'client', { client: { version: '1.33.3', kernel: { version: '6.18' } } }).kernel);
    expect(k.userTimeout).toBeUndefined();
    expect(k.abort === undefined || k.abort.why !== 'user-timeout').toBe(true);
    expect(k.abort?.afterCapture ?? true).toBe(true);
  });

  it('a scripted network models no kernel, and the verdict says so', () => {
    const r = replay(conn, 'client', { client: { version: '1.33.3', keepalive: { time: '10s', timeout: '3s' } }, network: { model: 'scripted' } });
    expect(r.kernel).toEqual({ notModelled: 'the scenario\'s network is "scripted": no kernel is modelled' });
    const json = replayJson(r, { file: 'x.pcap', connection: conn, connections: 1, conversion: replayInputFromConnection(conn, 'client'), startEpochNanos: 0n });
    expect(json['kernel']).toEqual({ modelled: false, why: 'the scenario\'s network is "scripted": no kernel is modelled' });
  });

  it('the server of fin-held-idle-client: grpc-go 1.33.3 sets no TCP_USER_TIMEOUT, 1.60.1 sets Timeout (2s) and its closed socket gives up', () => {
    const f = fixture('fin-held-idle-client', 'server');
    const old = modelled(replay(f.conn, 'server', { server: { version: '1.33.3', keepalive: { time: '4s', timeout: '2s' }, kernel: { version: '6.18' } } }).kernel);
    expect(old.userTimeout).toBeUndefined();
    expect(old.matched).toBe(old.captured.length);
    expect(old.abort?.why === 'user-timeout').toBe(false);
    const recent = modelled(replay(f.conn, 'server', { server: { version: '1.60.1', keepalive: { time: '4s', timeout: '2s' }, kernel: { version: '6.18' } } }).kernel);
    expect(recent.userTimeout).toBe(2e9);
    expect(recent.abort?.why).toBe('user-timeout');
    const start = recent.abortEpisodeStart as number;
    expect((recent.abort?.at as number) - start).toBeGreaterThanOrEqual(2e9);
    expect((recent.abort?.at as number) - start).toBeLessThan(2e9 + MATCH_WINDOW);
  });
});
