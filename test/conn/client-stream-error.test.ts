/**
 * What an open RPC reports when its client transport closes after a GOAWAY, by grpc-go version
 * (src/conn/client-stream-error.ts): the texts were read at each boundary tag, and the v1.60.1
 * ones were also printed by a real grpc-go client (docs/validation.md).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../support/run.js';

const net = { clientToServer: { delay: '1ms' }, serverToClient: { delay: '1ms' } } as const;

/** A client pinging every 10 s on an open stream, against the server's default MinTime of 5 min. */
const abusive = (version: string) =>
  run(
    {
      horizon: '60s',
      network: net,
      server: { version, keepalive: { time: '2h' } },
      client: { version, keepalive: { time: '10s', timeout: '20s' } },
      workload: [{ type: 'stream', at: '0s', client: { every: '120s', size: 200, first: '0s' } }],
    },
    { clamp: false },
  );

/** MaxConnectionAge drains the connection; an RPC still open when the grace runs out fails. */
const aged = (version: string) =>
  run(
    {
      horizon: '20s',
      network: net,
      server: { version, keepalive: { time: '2h', maxConnectionAge: '5s', maxConnectionAgeGrace: '3s' } },
      client: { version },
      workload: [{ type: 'stream', at: '0s' }],
    },
    { clamp: false },
  );

const clientError = (r: ReturnType<typeof run>): string | undefined => r.outcome.client.failedStreams[0]?.error;

describe('an open RPC when the transport closes after a GOAWAY', () => {
  it('v1.60.1 (as a real client prints it): Unavailable, the read error as a ConnectionError, and the first GOAWAY quoted', () => {
    expect(abusive('1.60.1').outcome.cause).toBe('too_many_pings');
    expect(clientError(abusive('1.60.1'))).toBe(
      'rpc error: code = Unavailable desc = closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: ENHANCE_YOUR_CALM, debug data: "too_many_pings"',
    );
    expect(clientError(aged('1.60.1'))).toBe(
      'rpc error: code = Unavailable desc = closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: NO_ERROR, debug data: "max_age"',
    );
  });
  it('before v1.56.0 the drain GOAWAY has no debug data, so only its code is quoted', () => {
    expect(clientError(aged('1.55.0'))).toBe(
      'rpc error: code = Unavailable desc = closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: NO_ERROR',
    );
  });
  it('v1.39.x prints the debug data unquoted, even when empty', () => {
    expect(clientError(abusive('1.39.1'))).toBe(
      'rpc error: code = Unavailable desc = closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: ENHANCE_YOUR_CALM, debug data: too_many_pings',
    );
    expect(clientError(aged('1.39.1'))).toBe(
      'rpc error: code = Unavailable desc = closing transport due to: connection error: desc = "error reading from server: EOF", received prior goaway: code: NO_ERROR, debug data: ',
    );
  });
  it('v1.38.x masks it as code Unknown (fixed by grpc-go #4561)', () => {
    expect(clientError(abusive('1.38.0'))).toMatch(/^rpc error: code = Unknown desc = closing transport due to: /);
  });
  it('before v1.38.0 Close takes no error: every open RPC reads "transport is closing", GOAWAY or not (as a real 1.33.3 client did)', () => {
    expect(abusive('1.37.0').outcome.cause).toBe('too_many_pings');
    expect(clientError(abusive('1.37.0'))).toBe('rpc error: code = Unavailable desc = transport is closing');
    expect(clientError(aged('1.33.3'))).toBe('rpc error: code = Unavailable desc = transport is closing');
  });
  it('without a GOAWAY the error is the read error itself', () => {
    // The scripted network delivers frames, not segments: the server's FIN reaches the client.
    const r = run({ horizon: '20s', network: { ...net, model: 'scripted' }, server: { version: '1.60.1', keepalive: { time: '10s', timeout: '2s' } }, client: { version: '1.60.1' }, workload: [{ type: 'stream', at: '0s' }], faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: '3s' }] });
    expect(r.outcome.closedBy).toBe('server');
    expect(clientError(r)).toBe('rpc error: code = Unavailable desc = error reading from server: EOF');
  });
});
