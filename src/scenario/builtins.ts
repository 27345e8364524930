import type { ScenarioInput } from './schema.js';

/**
 * Scenarios shipped with kpsim, in the form a scenario file has (durations as strings). Each one
 * isolates one grpc-go keepalive behaviour; `description` says which. Times in the descriptions
 * are what grpc-go's logic predicts for these settings, not recorded output.
 */

const seedFlaw: ScenarioInput = {
  name: 'seed-flaw',
  description:
    'The seed incident: a healthy device on a quiet stream (one message every 2 minutes) gets a keepalive ping at 60 s; its ACK is held up 6 s on the way back, so the server, whose Timeout is 5 s, cuts the connection at about 65 s.',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '60s', timeout: '5s' } },
  client: {},
  network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
  workload: [{ type: 'stream', at: '0s', client: { every: '120s', size: 200, first: '0s' } }],
  faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: '6s' }],
};

const seedFix: ScenarioInput = {
  name: 'seed-fix',
  description:
    'The fix for seed-flaw: server keepalive Time 30s with Timeout 90s, and the device sends every 45 s. The same 6 s ACK delay is now harmless; the connection stays up.',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '30s', timeout: '90s' } },
  client: {},
  network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
  workload: [{ type: 'stream', at: '0s', client: { every: '45s', size: 200, first: '0s' } }],
  faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: '6s' }],
};

const seedFixIdle: ScenarioInput = {
  name: 'seed-fix-idle',
  description:
    'The limit of the fix: with Time 30s and Timeout 90s, an ACK held up 100 s on a silent stream arrives too late, and the server closes the connection at about 120 s (30 s + 90 s).',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '30s', timeout: '90s' } },
  client: {},
  network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
  workload: [{ type: 'stream', at: '0s' }],
  faults: [{ type: 'delayFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, by: '100s' }],
};

const tooManyPings: ScenarioInput = {
  name: 'too-many-pings',
  description:
    'A client pinging every 10 s against the server\'s default enforcement (MinTime 5m): each ping after the first earns a strike, and on the third strike the server sends GOAWAY ENHANCE_YOUR_CALM "too_many_pings" and closes.',
  horizon: '5m',
  server: { enforcement: { permitWithoutStream: false } },
  client: { keepalive: { time: '10s', timeout: '20s', permitWithoutStream: false } },
  workload: [{ type: 'stream', at: '0s' }],
};

const maxIdle: ScenarioInput = {
  name: 'max-idle',
  description:
    'MaxConnectionIdle 30s: after one unary call the connection has no streams, and 30 s later the server starts a graceful drain (GOAWAY with last stream id 2^31-1, then a drain PING); the client, with no active stream, closes the connection as soon as it reads that GOAWAY.',
  horizon: '5m',
  server: { keepalive: { maxConnectionIdle: '30s' } },
  client: {},
  workload: [{ type: 'unary', at: '1s' }],
};

const maxAge: ScenarioInput = {
  name: 'max-age',
  description:
    'MaxConnectionAge 60s with a 10 s grace: at about 60 s (grpc-go adds up to 10% jitter) the server drains (GOAWAY 2^31-1, drain PING, and a second GOAWAY naming the open stream once the PING is acknowledged); the busy stream keeps going, so the server force-closes when the grace runs out.',
  horizon: '5m',
  server: { keepalive: { maxConnectionAge: '60s', maxConnectionAgeGrace: '10s' } },
  client: {},
  workload: [{ type: 'stream', at: '0s', client: { every: '5s', size: 100 } }],
};

const seedBusyServer: ScenarioInput = {
  name: 'seed-busy-server',
  description:
    'The seed\'s other suspect, a busy server: the ACK arrives in time, but the server\'s reader goroutine is starved from 59 s to 70 s and never reads it. The keepalive timer still fires, closes at about 65 s, and because the ACK sits unread in the socket the close sends RST: the device logs "connection reset by peer".',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '60s', timeout: '5s' } },
  client: {},
  network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
  workload: [{ type: 'stream', at: '0s', client: { every: '120s', size: 200, first: '0s' } }],
  faults: [{ type: 'readerStall', peer: 'server', from: '59s', until: '70s' }],
};

const deadClient: ScenarioInput = {
  name: 'dead-client',
  description:
    'The client crashes at 30 s with its stream open and is never heard from again. grpc-go\'s keepalive would notice at the last read + Time + Timeout (25 s + 60 s + 5 s), but the kernel is faster: Go turns TCP keepalive on (15 s idle), and a v1.46+ server sets TCP_USER_TIMEOUT = Timeout, so the unanswered probe aborts the socket 30 s after the last packet (ETIMEDOUT, not a keepalive close). Add --set server.tcpKeepalive=off to see gRPC keepalive do it.',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '60s', timeout: '5s' } },
  client: {},
  workload: [{ type: 'stream', at: '0s', client: { every: '10s', size: 100, first: '5s' } }],
  faults: [{ type: 'crash', peer: 'client', at: '30s' }],
};

const clientDormant: ScenarioInput = {
  name: 'client-dormant',
  description:
    'Client keepalive (Time 10s, PermitWithoutStream false) with no stream open goes dormant instead of pinging; when a unary call opens a stream at 60 s it wakes and pings at once.',
  horizon: '5m',
  server: { enforcement: { minTime: '5s' } },
  client: { keepalive: { time: '10s', timeout: '5s', permitWithoutStream: false } },
  workload: [{ type: 'unary', at: '60s' }],
};

/** The built-in scenarios by name (`kpsim run seed-flaw`); each `name` field equals its key. */
export const BUILTIN_SCENARIOS: Readonly<Record<string, ScenarioInput>> = Object.freeze({
  'seed-flaw': seedFlaw,
  'seed-fix': seedFix,
  'seed-fix-idle': seedFixIdle,
  'seed-busy-server': seedBusyServer,
  'too-many-pings': tooManyPings,
  'max-idle': maxIdle,
  'max-age': maxAge,
  'dead-client': deadClient,
  'client-dormant': clientDormant,
});

/** Names of the built-in scenarios, in the order above (from the seed incident outwards). */
export function builtinNames(): readonly string[] {
  return Object.keys(BUILTIN_SCENARIOS);
}
