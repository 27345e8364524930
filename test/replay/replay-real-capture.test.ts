/**
 * Replaying a real capture: Node's http2 client and server on loopback, two requests and a
 * `session.ping()` (test/fixtures/README.md says how it was recorded).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCapture } from '../../src/capture/capture.js';
import { replayInputFromConnection } from '../../src/replay/from-capture.js';
import { replayCapture } from '../../src/replay/replay.js';
import { parseScenario } from '../../src/scenario/load.js';
import { MILLISECOND } from '../../src/time/units.js';

const bytes = new Uint8Array(readFileSync(new URL('../fixtures/node-http2-ping.pcapng', import.meta.url)));
const conn = analyzeCapture(bytes).connections[0];
if (conn === undefined) throw new Error('fixture has no connection');
const { input, skipped, stopped } = replayInputFromConnection(conn, 'server');
const server = (keepalive: Record<string, string>) => parseScenario({ name: 'replay', server: { version: '1.62.0', keepalive } }, 'test');

describe('replay of a real Node http2 capture', () => {
  it('maps every frame: SETTINGS both ways, two gRPC-shaped requests, the client PING and its ACK, GOAWAYs', () => {
    expect(skipped).toEqual([]);
    expect(stopped).toEqual([]);
    const kinds = input.frames.map((f) => `${f.from}:${f.frame.type}${'ack' in f.frame && f.frame.ack ? '_ACK' : ''}`);
    expect(kinds.filter((k) => k === 'client:PING')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'server:PING_ACK')).toHaveLength(1);
    expect(kinds).toContain('client:SETTINGS_ACK');
    expect(kinds).toContain('server:GOAWAY');
    // The client's FIN is the capture's first close signal.
    expect(input.signals[0]?.from).toBe('client');
  });
  it('grpc-go defaults (Time 2h): the model keeps the connection; the real client ended it first', () => {
    const r = replayCapture(input, { side: 'server', scenario: server({}) });
    expect(r.verdict.closed).toBe(false);
    expect(r.captured.peerClosed?.how).toBe('FIN');
    expect(r.captured.peerClosed?.at).toBe(input.signals[0]?.at);
  });
  it('Time 50ms, Timeout 1ms, 30 ms round trip: the model closes exactly Time + Timeout after its last read before the gap', () => {
    const r = replayCapture(input, { side: 'server', scenario: server({ time: '50ms', timeout: '1ms' }), clamp: false, ackDelay: 30 * MILLISECOND });
    // The last client frame before the first 50 ms silence in what the client sent.
    const reads = input.frames.filter((f) => f.from === 'client').map((f) => f.at);
    const lastBeforeGap = reads.find((t, i) => (reads[i + 1] ?? Number.POSITIVE_INFINITY) - t > 50 * MILLISECOND) as number;
    expect(r.verdict).toEqual({ closed: true, at: lastBeforeGap + 51 * MILLISECOND, cause: 'keepalive', reason: expect.stringContaining('keepalive ping not acked') });
  });
});
