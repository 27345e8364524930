import type { ScenarioInput } from './schema.js';

/**
 * Scenarios shipped with kpsim, in the form a scenario file has (durations as strings). Each one
 * isolates one grpc-go keepalive behaviour; `description` says which. Times in the descriptions
 * are what grpc-go's logic predicts for these settings, not recorded output.
 */

const seedFlaw: ScenarioInput = {
  name: 'seed-flaw',
  description:
    'The seed incident: a healthy device on a quiet stream (one message every 2 minutes) gets a keepalive ping at 60 s; its ACK is held up 6 s on the way back, so the server, whose Timeout is 5 s, cuts the connection at about 65 s. Its FIN waits behind the unacknowledged PING (Linux 6.10+) until TCP_USER_TIMEOUT ends the closed socket, the late ACK then draws RST, and the device reads "connection reset by peer" while the server handler sees "context canceled".',
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
    'The limit of the fix: with Time 30s and Timeout 90s, an ACK held up 100 s on a silent stream arrives too late, and the server closes the connection at about 120 s (30 s + 90 s); the late ACK then draws RST from the closed socket, as in seed-flaw.',
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
    'The client crashes at 30 s with its stream open and is never heard from again. grpc-go\'s keepalive would notice at the last read + Time + Timeout (25 s + 60 s + 5 s), but the kernel is faster: Go turns TCP keepalive on (15 s idle), and a v1.46+ server sets TCP_USER_TIMEOUT = Timeout, so the unanswered probe aborts the socket at the next probe, about 30 s after the last packet (ETIMEDOUT and RST, not a keepalive close; each 15 s keepalive timer fires up to 256 ms late on the kernel\'s timer wheel). Add --set server.tcpKeepalive=off to see gRPC keepalive do it.',
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
const seedFlawLoss: ScenarioInput = {
  name: 'seed-flaw-loss',
  description:
    'seed-flaw with its fault expressed as packet loss: the segment carrying the keepalive PING ACK is lost 6 times in a row. Linux resends it once as a tail loss probe (about 230 ms later), then on each RTO, doubling from about 230 ms; the 7th transmission would leave 7.5 s after the first (its RTO fires 160 ms late on the kernel\'s timer wheel), so the server closes at 65 s. Five losses are survived: the 6th transmission leaves at 3.7 s. The trace shows each retransmission.',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '60s', timeout: '5s' } },
  client: {},
  network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
  workload: [{ type: 'stream', at: '0s', client: { every: '120s', size: 200, first: '0s' } }],
  faults: [{ type: 'loseFrame', direction: 'clientToServer', frame: 'PING_ACK', ping: 'keepalive', nth: 1, times: 6 }],
};

const lossyMobile: ScenarioInput = {
  name: 'lossy-mobile',
  description:
    'The seed\'s fleet on a poor mobile link for a day: 80 ms each way with 20 ms of jitter and 3% random loss in both directions, server keepalive Time 60s / Timeout 5s, a device reporting every 2 minutes. Sooner or later the healthy connection is cut: by keepalive when losses push a PING ACK past 5 s, or by the kernel, because a v1.46+ server sets TCP_USER_TIMEOUT = Timeout (5 s) and any segment or TCP keepalive probe left unanswered that long aborts the socket. Try --set network.clientToServer.loss.p=0.01 or the bursty variant.',
  horizon: '24h',
  server: { version: '1.83.1', keepalive: { time: '60s', timeout: '5s' } },
  client: {},
  network: {
    clientToServer: { delay: '80ms', jitter: '20ms', distribution: 'normal', loss: { model: 'bernoulli', p: 0.03 } },
    serverToClient: { delay: '80ms', jitter: '20ms', distribution: 'normal', loss: { model: 'bernoulli', p: 0.03 } },
  },
  workload: [{ type: 'stream', at: '0s', client: { every: '120s', size: 200, first: '0s' } }],
};

const lossyMobileBursty: ScenarioInput = {
  ...lossyMobile,
  name: 'lossy-mobile-bursty',
  description:
    'lossy-mobile with bursty loss (netem gemodel p=0.5% r=20%: about 2.4% of packets lost, in bursts of 5 on average). The same average loss kills far sooner, because a burst takes out a segment and its first retransmissions together.',
  network: {
    clientToServer: { delay: '80ms', jitter: '20ms', distribution: 'normal', loss: { model: 'gilbert-elliott', p: 0.005, r: 0.2 } },
    serverToClient: { delay: '80ms', jitter: '20ms', distribution: 'normal', loss: { model: 'gilbert-elliott', p: 0.005, r: 0.2 } },
  },
};

const holBlocking: ScenarioInput = {
  name: 'hol-blocking',
  description:
    'Killed with zero loss: the server streams an 8 MB response down a 1 Mbit/s link to a client with a large static window (so it sends a WINDOW_UPDATE only every 4 MB and no BDP pings). After 20 s without reading anything the server pings, but its PING waits behind megabytes of DATA in its own send queue; nothing comes back within the 10 s Timeout and the server closes the connection in the middle of a healthy transfer.',
  horizon: '5m',
  server: { version: '1.83.1', keepalive: { time: '20s', timeout: '10s' } },
  client: { window: { stream: 16777216, connection: 16777216 } },
  network: { clientToServer: { delay: '30ms' }, serverToClient: { delay: '30ms', rate: '1mbit' } },
  workload: [{ type: 'stream', at: '0s', server: { every: '10m', size: 8000000, first: '1s' } }],
};

const natIdle: ScenarioInput = {
  name: 'nat-idle',
  description:
    'A load balancer forgets flows idle for 350 s (AWS NLB). No gRPC keepalive, and TCP keepalive off (a client that does not use Go\'s defaults): after 6 quiet minutes the flow is gone, the device\'s next message is dropped, and nobody learns for about 16 minutes, until the client\'s TCP gives up retransmitting (tcp_retries2). See nat-idle-keepalive for the fix.',
  horizon: '1h',
  server: { version: '1.83.1', tcpKeepalive: 'off' },
  client: { tcpKeepalive: 'off' },
  network: { clientToServer: { delay: '20ms' }, serverToClient: { delay: '20ms' }, nat: { idleTimeout: '350s', action: 'drop' } },
  workload: [{ type: 'stream', at: '0s', client: { every: '400s', size: 200, first: '0s' } }],
};

const natIdleKeepalive: ScenarioInput = {
  ...natIdle,
  name: 'nat-idle-keepalive',
  description:
    'nat-idle with client keepalive every 5 minutes (Time 5m, at least the server\'s default MinTime, so no too_many_pings): the PINGs keep the flow fresh in the load balancer and the connection lives.',
  client: { tcpKeepalive: 'off', keepalive: { time: '5m', timeout: '20s' } },
};

const gcPause: ScenarioInput = {
  name: 'gc-pause',
  description:
    'A healthy client stops the world for 6 s (a long GC pause) just as the server\'s keepalive PING arrives. Its kernel still acknowledges the TCP segment, but nobody answers the HTTP/2 PING until the pause ends, 1 s after the server\'s 5 s Timeout ran out.',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '60s', timeout: '5s' } },
  client: {},
  network: { clientToServer: { delay: '10ms' }, serverToClient: { delay: '10ms' } },
  workload: [{ type: 'stream', at: '0s', client: { every: '120s', size: 200, first: '0s' } }],
  faults: [{ type: 'pause', peer: 'client', from: '60s', until: '66s' }],
};

const userTimeout: ScenarioInput = {
  name: 'user-timeout',
  description:
    'The v1.46+ server sets TCP_USER_TIMEOUT = Timeout (20 s). It streams to a device every 5 s; at 30 s the device\'s network goes dark both ways. The kernel aborts the socket 20 s after its first RTO retransmission (the tail loss probe before it does not start that clock), long before keepalive would act (last read + 60 s + 20 s). With --set server.version=1.45.0 there is no such timeout and keepalive closes instead.',
  horizon: '10m',
  server: { version: '1.83.1', keepalive: { time: '60s', timeout: '20s' }, tcpKeepalive: 'off' },
  client: { tcpKeepalive: 'off' },
  network: { clientToServer: { delay: '40ms' }, serverToClient: { delay: '40ms' } },
  workload: [{ type: 'stream', at: '0s', server: { every: '5s', size: 300, first: '1s' } }],
  faults: [{ type: 'partition', from: '30s', until: '1h' }],
};

const boundedDelay: ScenarioInput = {
  ...seedFlaw,
  name: 'bounded-delay',
  description:
    'seed-flaw\'s settings on a network whose faults hold a frame up by at most 4.9 s, TCP backoff counted as on a steady link (hunt.maxDelay). No single fault within that bound kills, and `kpsim hunt bounded-delay` finds no kill in its default 300 timelines. With --runs 1000 it finds one: a reply 3.74 s late inflates the client kernel\'s RTT estimate, so when the next keepalive ACK\'s segment is then lost twice, its retransmission is not due until after the server\'s 5 s Timeout. Faults compose through the kernel\'s RTO; the bound on each does not bound them together.',
  faults: [],
  hunt: { maxDelay: '4.9s' },
};

export const BUILTIN_SCENARIOS: Readonly<Record<string, ScenarioInput>> = Object.freeze({
  'seed-flaw': seedFlaw,
  'seed-fix': seedFix,
  'seed-fix-idle': seedFixIdle,
  'seed-busy-server': seedBusyServer,
  'seed-flaw-loss': seedFlawLoss,
  'too-many-pings': tooManyPings,
  'max-idle': maxIdle,
  'max-age': maxAge,
  'dead-client': deadClient,
  'client-dormant': clientDormant,
  'lossy-mobile': lossyMobile,
  'lossy-mobile-bursty': lossyMobileBursty,
  'hol-blocking': holBlocking,
  'nat-idle': natIdle,
  'nat-idle-keepalive': natIdleKeepalive,
  'gc-pause': gcPause,
  'user-timeout': userTimeout,
  'bounded-delay': boundedDelay,
});

/** Names of the built-in scenarios, in the order above (from the seed incident outwards). */
export function builtinNames(): readonly string[] {
  return Object.keys(BUILTIN_SCENARIOS);
}
