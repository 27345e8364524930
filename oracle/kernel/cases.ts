import type { KernelCase } from './case.js';

/**
 * The real-kernel cases: each a grpc-go 1.33.3 server and client in their own namespaces with
 * scripted outages on the router between them, chosen where the kernel decides the outcome and
 * where kpsim's earlier TCP model was wrong (docs/validation.md, "Real kernel").
 */
export const KERNEL_CASES: readonly KernelCase[] = [
  {
    name: 'fin-held-idle-client',
    about:
      'Server keepalive 4s/2s closes while its PING is unacknowledged in a two-way outage. Linux 6.10+ holds the FIN behind the unacknowledged PING (Loss state, cwnd 1); after the path heals the PING retransmission reaches the idle client, whose PING ACK (data) lands on the closed socket and draws RST: the client never sees the FIN.',
    for: '14s',
    server: { time: '4s', timeout: '2s' },
    client: {},
    faults: [{ at: '3.5s', for: '6s', direction: 'both' }],
  },
  {
    name: 'fin-held-chatty-client',
    about:
      'The same close, but the client writes every second. Its messages from the outage sit unacknowledged (cwnd 1), so when the server\'s PING retransmission arrives the client can only answer with a pure ACK: that ACK releases the held FIN, and the client reads EOF before its own retransmission reaches the closed socket.',
    for: '16s',
    server: { time: '4s', timeout: '2s' },
    client: { every: '1s' },
    faults: [{ at: '3.5s', for: '6s', direction: 'both' }],
  },
  {
    name: 'rst-race-chatty-client',
    about:
      'The chatty client again, but the path heals after the server\'s fifth PING retransmission and before the client\'s sixth: the client\'s retransmitted message is the first thing to reach the closed server, which answers with RST. The client reads "connection reset by peer" and the FIN is never sent: the seed\'s symptom, from socket state alone.',
    for: '16s',
    server: { time: '4s', timeout: '2s' },
    client: { every: '1s' },
    faults: [{ at: '3.5s', for: '7.2s', direction: 'both' }],
  },
  {
    name: 'outage-survived',
    about:
      'A two-way outage covering the keepalive PING and its tail loss probe and first RTOs ends before Timeout: the PING arrives on a retransmission (TLP, then RTO doubling) and the connection survives. Checks the TLP and RTO schedule on the wire.',
    for: '12s',
    server: { time: '4s', timeout: '4s' },
    client: {},
    faults: [{ at: '3.8s', for: '2.4s', direction: 'both' }],
  },
  {
    name: 'user-timeout-abort',
    about:
      'Client keepalive 10s/3s sets TCP_USER_TIMEOUT 3 s. It writes every second into a client-to-server outage: the kernel aborts 3 s after the first RTO retransmission (the tail loss probe does not start the clock), while every Send meanwhile returns nil.',
    for: '20s',
    server: {},
    client: { time: '10s', timeout: '3s', every: '1s' },
    faults: [{ at: '2.5s', for: '15s', direction: 'clientToServer' }],
  },
  {
    name: 'keepalive-probe-lost-6250',
    about:
      'grpc-go #6250: client keepalive 60s/5s (TCP_USER_TIMEOUT 5 s) on an idle stream, Go\'s 15 s TCP keepalive on both sides. One client-to-server gap takes the client\'s first probe and its ACK of the server\'s: at its next probe the client\'s kernel aborts with RST. Each side probes on its own schedule (a probe received does not count as received data).',
    for: '40s',
    server: {},
    client: { time: '60s', timeout: '5s' },
    faults: [{ at: '14s', for: '2.5s', direction: 'clientToServer' }],
  },
  {
    name: 'chatty-outage-burst',
    about:
      'A client writing every 300 ms through a 1.5 s client-to-server outage: the writes queue behind the unacknowledged head (cwnd 1), the RTO retransmission collapses small segments into one, and after the heal the server reads the queued messages in bursts as the window grows.',
    for: '8s',
    server: {},
    client: { every: '300ms' },
    faults: [{ at: '2s', for: '1.5s', direction: 'clientToServer' }],
  },
  {
    name: 'lone-segment-lost',
    about:
      'One client message lost in a 100 ms client-to-server gap while the client writes every 300 ms: the tail loss probe, or the next message and the SACK it draws (RACK), repairs it. Checks the repair without an RTO.',
    for: '5s',
    server: {},
    client: { every: '300ms' },
    faults: [{ at: '2.35s', for: '100ms', direction: 'clientToServer' }],
  },
  {
    name: 'keepalive-time-clamped',
    about:
      'Server Time 500ms and client Time 5s, both below grpc-go\'s floors: each side logs its clamp warning and runs at 1s and 10s. The server then pings every second, and the client, reading those PINGs, never pings. Checks the warning texts and a steady PING cadence.',
    for: '6s',
    server: { time: '500ms', timeout: '5s' },
    client: { time: '5s' },
    faults: [],
  },
];

export function kernelCase(name: string): KernelCase {
  const c = KERNEL_CASES.find((k) => k.name === name);
  if (c === undefined) throw new Error(`no real-kernel case "${name}" (cases: ${KERNEL_CASES.map((k) => k.name).join(', ')})`);
  return c;
}
