import { z } from 'zod';
import { CONTROL_CHAR } from '../lib/control-chars.js';
import type { FrameType } from '../frames/frame.js';
import { formatDuration } from '../time/duration.js';
import { HOUR, SECOND, type Nanos } from '../time/units.js';
import type { DelayModel } from '../transport/impairments/delay.js';
import { LINUX_TCP } from '../transport/linux/sysctl-defaults.js';
import { DEFAULT_GRPC_GO_VERSION, boundedDurationField, byteCountField, durationField, linuxVersionField, positiveDurationField, versionField } from './fields.js';
import { DEFAULT_KERNEL_HZ, DEFAULT_LINUX_VERSION, KERNEL_HZ } from '../transport/linux/kernel-version.js';
import { delayFields, delayFieldsWith, delayModelFrom, lossSchema, rateField } from './network-fields.js';

/**
 * The scenario file format (see docs/scenarios.md). In the file every duration is a Go duration
 * string; after parsing it is integer nanoseconds (`Nanos`). Every object is strict: a field the
 * schema does not know is an error, so a typo never silently falls back to a default.
 *
 * Keepalive fields left out mean "grpc-go's default for that setting"; the simulator fills them in
 * for the configured grpc-go version, so the parsed scenario keeps them `undefined`.
 */

export const TIE_ORDERS = ['reads-first', 'timers-first'] as const;
export const DIRECTIONS = ['clientToServer', 'serverToClient'] as const;
export const PEERS = ['client', 'server'] as const;
/** Frames a `delayFrame` fault can pick out; `PING_ACK` and `SETTINGS_ACK` are the ACK forms. */
export const FAULT_FRAMES = ['PING', 'PING_ACK', 'DATA', 'HEADERS', 'SETTINGS', 'SETTINGS_ACK', 'GOAWAY', 'WINDOW_UPDATE', 'RST_STREAM'] as const satisfies readonly FrameCountKey[];
/** Frame kinds as `frameCountKey` names them. */
type FrameCountKey = FrameType | 'PING_ACK' | 'SETTINGS_ACK';
/** Compile-time check: every kind of frame can be picked out (fails to compile if one is missing). */
export type FaultFramesCoverEveryFrame = AssertNever<Exclude<FrameCountKey, (typeof FAULT_FRAMES)[number]>>;
type AssertNever<T extends never> = T;

/** Longest `horizon` accepted: 100 days, inside the exact range of a `number` of nanoseconds. */
/** PING payload kinds grpc-go sends. */
export const PING_KINDS = ['keepalive', 'bdp', 'drain'] as const;

export const MAX_HORIZON: Nanos = 100 * 24 * HOUR;

/** A refinement: `until` must be after `from` (skipped when either is absent); the issue is on `until`. */
function requireAfter<K extends string, F extends string>(from: F, until: K) {
  return (value: { readonly [P in F | K]?: Nanos | undefined }, ctx: z.RefinementCtx): void => {
    const start = value[from];
    const end = value[until];
    if (start === undefined || end === undefined || end > start) return;
    ctx.addIssue({
      code: 'custom',
      path: [until],
      message: `expected a time after ${from} (${formatDuration(start)}), got ${formatDuration(end)}`,
      input: end,
    });
  };
}

const direction = z.enum(DIRECTIONS);
const peer = z.enum(PEERS);

const serverKeepalive = z
  .strictObject({
    time: durationField().optional().describe('ServerParameters.Time: ping the client after this long without reads. grpc-go default 2h.'),
    timeout: durationField().optional().describe('ServerParameters.Timeout: close the connection if the ping is not acknowledged within this. grpc-go default 20s.'),
    maxConnectionIdle: durationField().optional().describe('ServerParameters.MaxConnectionIdle: gracefully close a connection with no active streams for this long. grpc-go default: infinity.'),
    maxConnectionAge: durationField().optional().describe('ServerParameters.MaxConnectionAge: gracefully close a connection after it has existed this long (grpc-go adds +/-10% jitter). grpc-go default: infinity.'),
    maxConnectionAgeGrace: durationField().optional().describe('ServerParameters.MaxConnectionAgeGrace: after the age drain starts, force-close after this long. grpc-go default: infinity.'),
  })
  .describe('grpc-go keepalive.ServerParameters. Each field left out takes grpc-go\'s default.');

const enforcement = z
  .strictObject({
    minTime: durationField().optional().describe('EnforcementPolicy.MinTime: a client pinging more often than this earns a strike. grpc-go default 5m.'),
    permitWithoutStream: z.boolean().default(false).describe('EnforcementPolicy.PermitWithoutStream: allow pings when there are no active streams.'),
  })
  .describe('grpc-go keepalive.EnforcementPolicy: how the server polices client pings (too_many_pings after 2 strikes).');

const clientKeepalive = z
  .strictObject({
    time: durationField().optional().describe('ClientParameters.Time: ping the server after this long without reads. WithKeepaliveParams raises values below 10s to 10s, an absent (zero) Time included: with a keepalive object, client keepalive is on.'),
    timeout: durationField().optional().describe('ClientParameters.Timeout: close the connection if the ping is not acknowledged within this. grpc-go default 20s.'),
    permitWithoutStream: z.boolean().default(false).describe('ClientParameters.PermitWithoutStream: keep pinging with no active streams (otherwise keepalive goes dormant).'),
  })
  .describe('grpc-go keepalive.ClientParameters, as passed to WithKeepaliveParams. Absent: client keepalive is off (grpc-go default). Present, even without "time", it is on: WithKeepaliveParams raises a Time below 10s (zero included) to 10s.');

const readerLatency = (who: string) =>
  delayLikeField('0s').describe(`Time the ${who}'s reader goroutine takes to read one frame after it arrives: a duration, or {delay, jitter, distribution} for a busy reader.`);

// The kernel's bounds on the TCP keepalive socket options (include/net/tcp.h; setsockopt fails
// with EINVAL outside them, in do_tcp_setsockopt / tcp_sock_set_keepidle_locked).
const MAX_TCP_KEEPIDLE = 32_767;
const MAX_TCP_KEEPINTVL = 32_767;
const MAX_TCP_KEEPCNT = 127;

/** A keepalive socket option: whole seconds, as setsockopt takes them, from 1 to `max`. */
function keepaliveSeconds(option: string, max: number) {
  return durationField().superRefine((ns, ctx) => {
    if (ns % SECOND !== 0 || ns < SECOND || ns > max * SECOND) {
      ctx.addIssue({ code: 'custom', message: `${option} is whole seconds from 1s to ${max}s (setsockopt refuses anything else), got ${formatDuration(ns)}`, input: ns });
    }
  });
}

const tcpKeepalive = (who: string) =>
  z
    .union([
      z.enum(['grpc-default', 'go-default', 'os-default', 'off']),
      z.strictObject({
        idle: keepaliveSeconds('TCP_KEEPIDLE', MAX_TCP_KEEPIDLE).describe('TCP_KEEPIDLE: idle time before the first probe (whole seconds, 1s to 32767s).'),
        interval: keepaliveSeconds('TCP_KEEPINTVL', MAX_TCP_KEEPINTVL).describe('TCP_KEEPINTVL: time between probes (whole seconds, 1s to 32767s).'),
        count: z.int().min(1).max(MAX_TCP_KEEPCNT).describe('TCP_KEEPCNT: unanswered probes before the kernel aborts (1 to 127).'),
      }),
    ])
    .default('grpc-default')
    .describe(
      `SO_KEEPALIVE on the ${who}'s socket (kernel TCP keepalive, invisible to HTTP/2). "grpc-default": what the socket gets when grpc-go makes it the usual way: a server's come from net.Listen ("go-default"); a client dials its own, with "go-default" before grpc-go 1.60.0 and "os-default" since. "go-default": Go's net.Dialer/net.Listen default (15s idle, 15s interval, 9 probes); "os-default": SO_KEEPALIVE with Linux's defaults (2h idle, 75s interval, 9 probes); "off"; or explicit settings.`,
    );

const windowSettings = (who: string) =>
  z
    .strictObject({
      stream: z.int().min(1).max(0x7fffffff).optional().describe('InitialWindowSize (bytes). 65535 or more turns the BDP estimator off, as in grpc-go.'),
      connection: z.int().min(1).max(0x7fffffff).optional().describe('InitialConnWindowSize (bytes). 65535 or more turns the BDP estimator off and sets the connection receive window.'),
    })
    .prefault({})
    .describe(`The ${who}'s flow-control window options. Unset: grpc-go's dynamic window (BDP pings on).`);

const timerLateness = (who: string) =>
  delayLikeField('0s').describe(`How late the ${who}'s Go timers fire (a busy runtime): a duration, or {delay, jitter, distribution}.`);

const kernel = (who: string) =>
  z
    .strictObject({
      version: linuxVersionField()
        .prefault(DEFAULT_LINUX_VERSION)
        .describe('Linux release of the host, e.g. "6.12" or "6.1.119". Before 6.10 a lone FIN leaves whatever the congestion window; since, it waits (docs/transport.md).'),
      hz: z
        .union(KERNEL_HZ.map((h) => z.literal(h)) as unknown as [z.ZodLiteral<100>, z.ZodLiteral<250>, z.ZodLiteral<1000>])
        .default(DEFAULT_KERNEL_HZ)
        .describe('CONFIG_HZ: the tick TCP timers are armed in (Debian and Ubuntu 250, RHEL and Fedora 1000). Kernel timers fire on tick boundaries, up to 1/8 late at long delays (the timer wheel).'),
      jiffies: z
        .int()
        .min(0)
        .optional()
        .describe('The host\'s tick counter at the start of the run, which places the run on its timer wheel. Absent: drawn from the seed. A recorded real run gives its own (oracle/kernel).'),
      tickPhase: durationField().optional().describe('How far into that tick the run starts (less than one tick). Absent: drawn from the seed.'),
    })
    .prefault({})
    .describe(`The ${who}'s kernel: Linux version and tick rate, which decide its TCP timers and loss recovery.`);

const server = z
  .strictObject({
    version: versionField().prefault(DEFAULT_GRPC_GO_VERSION).describe('grpc-go release whose server behaviour is modelled, e.g. "1.83.1" (a leading "v" is allowed).'),
    keepalive: serverKeepalive.prefault({}),
    enforcement: enforcement.prefault({}),
    readerLatency: readerLatency('server'),
    timerLateness: timerLateness('server'),
    window: windowSettings('server'),
    tcpKeepalive: tcpKeepalive('server'),
    kernel: kernel('server'),
  })
  .describe('The gRPC server (grpc-go) end of the connection.');

const client = z
  .strictObject({
    version: versionField().prefault(DEFAULT_GRPC_GO_VERSION).describe('grpc-go release whose client behaviour is modelled, e.g. "1.83.1" (a leading "v" is allowed).'),
    keepalive: clientKeepalive.optional(),
    readerLatency: readerLatency('client'),
    timerLateness: timerLateness('client'),
    window: windowSettings('client'),
    tcpKeepalive: tcpKeepalive('client'),
    kernel: kernel('client'),
  })
  .describe('The gRPC client (grpc-go) end of the connection.');

const link = (from: string, to: string) =>
  z
    .strictObject({
      ...delayFields,
      loss: lossSchema,
      rate: rateField().optional().describe('Link bandwidth (netem "rate"), e.g. "10mbit" or "64kbps" (bps units are BYTES per second). Absent: unlimited.'),
    })
    .transform((v) => ({ delay: delayModelFrom(v), loss: v.loss, rate: v.rate }))
    .describe(`The ${from}-to-${to} direction: delay, jitter, loss and rate, as netem would impose them.`);

const nat = z
  .strictObject({
    idleTimeout: positiveDurationField().describe('How long the middlebox keeps an idle flow (AWS NLB: 350s, GCP: 600s).'),
    action: z.enum(['drop', 'reset']).default('drop').describe('What happens to packets of a forgotten flow: silently dropped, or answered with RST (AWS NLB resets).'),
  })
  .describe('A NAT or load balancer on the path that forgets a flow after it has been idle, in both directions.');

const tcpSettings = z
  .strictObject({
    mss: z.int().min(64).max(65495).default(LINUX_TCP.mss).describe('Maximum segment size in bytes.'),
    retries2: z.int().min(1).max(32).default(LINUX_TCP.retries2).describe('net.ipv4.tcp_retries2: backoff before an established connection is aborted (15 = 924.6 s).'),
  })
  .prefault({})
  .describe('TCP stack settings (both hosts).');

const network = z
  .strictObject({
    model: z
      .enum(['tcp', 'scripted'])
      .default('tcp')
      .describe('"tcp": segments, ACKs, retransmission with RTO backoff, loss, rate (default). "scripted": the foundation\'s fixed delay with scripted faults only, no loss.'),
    clientToServer: link('client', 'server').prefault({}),
    serverToClient: link('server', 'client').prefault({}),
    nat: nat.optional(),
    tcp: tcpSettings,
  })
  .superRefine((v, ctx) => {
    if (v.model !== 'scripted') return;
    for (const dir of DIRECTIONS) {
      const l = v[dir];
      const what = l.loss.kind !== 'none' ? 'loss' : l.rate !== undefined ? 'rate' : l.delay.jitter > 0 ? 'jitter' : undefined;
      if (what !== undefined) ctx.addIssue({ code: 'custom', path: [dir, what], message: 'needs network.model "tcp" (the scripted network has a fixed delay only)', input: undefined });
    }
    if (v.nat !== undefined) ctx.addIssue({ code: 'custom', path: ['nat'], message: 'needs network.model "tcp"', input: undefined });
  })
  .describe('The network between the two peers, one entry per direction.');

/** A duration string (fixed) or {delay, jitter, distribution}: a per-event delay distribution. */
function delayLikeField(fixed: string) {
  return z
    .union([
      durationField().transform((base): DelayModel => ({ base, jitter: 0, distribution: 'uniform' })),
      z.strictObject(delayFieldsWith(fixed)).transform(delayModelFrom),
    ])
    .prefault(fixed);
}

const messageSchedule = (who: string) =>
  z
    .strictObject({
      every: positiveDurationField().optional().describe(`The ${who} sends a message this often.`),
      first: durationField().optional().describe('With "every": when the first message goes, relative to the stream\'s "at". Default: "every".'),
      times: z
        .array(durationField())
        .min(1)
        .optional()
        .describe(`Instead of "every": the times the ${who} sends a message, relative to the stream's "at", in increasing order (e.g. read from an application log).`),
      size: byteCountField().describe('Size of each message in bytes (the gRPC payload, before the 5-byte prefix).'),
    })
    .superRefine((v, ctx) => {
      if (v.every === undefined && v.times === undefined) ctx.addIssue({ code: 'custom', path: ['every'], message: 'give "every" (a period) or "times" (a list)', input: undefined });
      if (v.every !== undefined && v.times !== undefined) ctx.addIssue({ code: 'custom', path: ['times'], message: 'give "every" or "times", not both', input: v.times });
      if (v.times !== undefined && v.first !== undefined) ctx.addIssue({ code: 'custom', path: ['first'], message: '"first" goes with "every"; with "times" the first time is the first message', input: v.first });
      const ts = v.times ?? [];
      for (let i = 1; i < ts.length; i++) {
        if ((ts[i] as number) <= (ts[i - 1] as number)) ctx.addIssue({ code: 'custom', path: ['times', i], message: `must be later than the time before it (${formatDuration(ts[i - 1] as number)})`, input: ts[i] });
      }
    })
    .transform(({ every, size, first, times }) => ({ every, size, first: times === undefined ? (first ?? (every as number)) : (times[0] as number), times }))
    .describe(`Messages the ${who} sends on the stream: periodic ("every", "first") or at listed "times". Absent: the ${who} sends none.`);

const streamWorkload = z
  .strictObject({
    type: z.literal('stream').describe('A client-initiated, long-lived stream (gRPC bidi or client stream).'),
    at: durationField().describe('When the client opens the stream.'),
    until: durationField().optional().describe('When the client closes the stream. Absent: never.'),
    client: messageSchedule('client').optional(),
    server: messageSchedule('server').optional(),
  })
  .superRefine(requireAfter('at', 'until'))
  .describe('A stream open from "at" to "until"; each side may send messages on a fixed period.');

const unaryWorkload = z
  .strictObject({
    type: z.literal('unary').describe('Unary RPCs: request, handler time, response.'),
    at: durationField().describe('When the first call starts.'),
    every: positiveDurationField().optional().describe('Period between calls; required when "count" is more than 1.'),
    count: z.int().min(1).default(1).describe('How many calls to make.'),
    requestSize: byteCountField().default(100).describe('Request message size in bytes.'),
    responseSize: byteCountField().default(100).describe('Response message size in bytes.'),
    handlerTime: durationField().prefault('1ms').describe('How long the server handler takes before responding.'),
  })
  .superRefine((value, ctx) => {
    if (value.count > 1 && value.every === undefined) {
      ctx.addIssue({ code: 'custom', path: ['every'], message: `required when "count" is more than 1 (count is ${value.count})`, input: undefined });
    }
  })
  .describe('One or more unary calls, each on its own stream.');

export const workloadSchema = z
  .discriminatedUnion('type', [streamWorkload, unaryWorkload])
  .describe('What the client does on the connection.');

const delayFrameFault = z
  .strictObject({
    type: z.literal('delayFrame'),
    direction: direction.describe('Which direction the frame travels.'),
    frame: z.enum(FAULT_FRAMES).describe('Which kind of frame to delay; PING_ACK and SETTINGS_ACK are the ACK forms.'),
    ping: z.enum(PING_KINDS).optional().describe('Only with PING or PING_ACK: count only PINGs with this payload (grpc-go sends keepalive, BDP and drain PINGs). Absent: every PING counts, BDP PINGs included.'),
    nth: z.int().min(1).default(1).describe('Delay the nth matching frame in that direction (1 = the first).'),
    by: durationField().describe('Extra delay on top of the network delay. Frames sent after it in the same direction wait behind it (TCP delivers in order).'),
  })
  .superRefine((value, ctx) => {
    if (value.ping !== undefined && value.frame !== 'PING' && value.frame !== 'PING_ACK') {
      ctx.addIssue({ code: 'custom', path: ['ping'], message: `only applies to PING or PING_ACK frames, not ${value.frame}`, input: value.ping });
    }
  })
  .describe('Delays one frame in flight.');

const blackholeFault = z
  .strictObject({
    type: z.literal('blackhole'),
    direction: direction.describe('Which direction is cut off.'),
    from: durationField().describe('Start of the outage.'),
    until: durationField().describe('End of the outage; must be after "from".'),
  })
  .superRefine(requireAfter('from', 'until'))
  .describe('Cuts one direction off between "from" and "until": frames sent meanwhile are held (TCP keeps retransmitting) and arrive, in order, once it ends.');

const crashFault = z
  .strictObject({
    type: z.literal('crash'),
    peer: peer.describe('Which peer crashes.'),
    at: durationField().describe('When it crashes.'),
  })
  .describe('A peer dies silently at "at": frames it has in flight are lost, it sends and reads nothing more, and no FIN or RST is sent.');

const readerStallFault = z
  .strictObject({
    type: z.literal('readerStall'),
    peer: peer.describe('Whose reader goroutine stalls.'),
    from: durationField().describe('Start of the stall.'),
    until: durationField().describe('End of the stall; must be after "from".'),
  })
  .superRefine(requireAfter('from', 'until'))
  .describe('A peer\'s reader reads nothing between "from" and "until"; frames wait and are read afterwards.');

const loseFrameFault = z
  .strictObject({
    type: z.literal('loseFrame'),
    direction: direction.describe('Which direction the frame travels.'),
    frame: z.enum(FAULT_FRAMES).describe('Which kind of frame; PING_ACK and SETTINGS_ACK are the ACK forms.'),
    ping: z.enum(PING_KINDS).optional().describe('Only with PING or PING_ACK: count only PINGs with this payload.'),
    nth: z.int().min(1).default(1).describe('The nth matching frame in that direction (1 = the first).'),
    times: z.int().min(1).max(64).default(1).describe('How many transmissions of the segment carrying it are lost in a row; TCP retransmits after each, the RTO doubling.'),
  })
  .superRefine((value, ctx) => {
    if (value.ping !== undefined && value.frame !== 'PING' && value.frame !== 'PING_ACK') {
      ctx.addIssue({ code: 'custom', path: ['ping'], message: `only applies to PING or PING_ACK frames, not ${value.frame}`, input: value.ping });
    }
  })
  .describe('TCP network only: the segment carrying one frame is lost `times` times in a row.');

const partitionFault = z
  .strictObject({
    type: z.literal('partition'),
    direction: z.enum([...DIRECTIONS, 'both']).default('both').describe('Which direction is cut: one, or both.'),
    from: durationField().describe('Start of the partition.'),
    until: durationField().describe('End of the partition; must be after "from".'),
  })
  .superRefine(requireAfter('from', 'until'))
  .describe('Every packet in the direction(s) is lost between "from" and "until" (with TCP: retransmitted later).');

const flapFault = z
  .strictObject({
    type: z.literal('flap'),
    direction: z.enum([...DIRECTIONS, 'both']).default('both').describe('Which direction flaps.'),
    from: durationField().prefault('0s').describe('When the flapping starts.'),
    until: durationField().optional().describe('When it stops. Absent: never.'),
    every: positiveDurationField().describe('Period of the flap.'),
    down: positiveDurationField().describe('How long the link is down at the start of each period.'),
  })
  .superRefine((value, ctx) => {
    if (value.down >= value.every) ctx.addIssue({ code: 'custom', path: ['down'], message: `must be shorter than "every" (${formatDuration(value.every)})`, input: value.down });
  })
  .describe('The link goes down for "down" at the start of every "every".');

const pauseFault = z
  .strictObject({
    type: z.literal('pause'),
    peer: peer.describe('Which process stops.'),
    from: durationField().describe('Start of the pause.'),
    until: durationField().describe('End of the pause; must be after "from".'),
  })
  .superRefine(requireAfter('from', 'until'))
  .describe('The whole process stops (stop-the-world GC, frozen VM): no reads, no timers, no writes; its kernel still acknowledges packets.');

/**
 * Text that is printed as it is (a name, a description): no control characters, which a terminal
 * would obey (escape sequences) or which would break a line, and no bidirectional overrides.
 */
function printableText() {
  return z.string().superRefine((text, ctx) => {
    const m = CONTROL_CHAR.exec(text);
    if (m !== null) {
      const code = (m[0].codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0');
      ctx.addIssue({ code: 'custom', message: `must not contain control characters (U+${code} at character ${m.index + 1})`, input: text });
    }
  });
}

export const faultSchema = z
  .discriminatedUnion('type', [delayFrameFault, blackholeFault, crashFault, readerStallFault, loseFrameFault, partitionFault, flapFault, pauseFault])
  .describe('A fault injected into the run.');

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema for editors; ignored by kpsim.'),
    name: printableText().min(1).max(200).describe('Short name of the scenario.'),
    description: printableText().max(10_000).optional().describe('What the scenario shows, in a sentence or two.'),
    seed: z.int().min(0).max(0xffff_ffff).default(1).describe('Seed for every random choice in the run (a 32-bit unsigned integer).'),
    horizon: boundedDurationField(MAX_HORIZON, 'the longest horizon').prefault('1h').describe('When the run stops if the connection has not closed; at most 100 days.'),
    tieOrder: z.enum(TIE_ORDERS).default('reads-first').describe('Which goes first when a frame read and a timer fall on the same instant.'),
    server: server.prefault({}),
    client: client.prefault({}),
    network: network.prefault({}),
    workload: z.array(workloadSchema).default([]).describe('What the client does, in any order.'),
    faults: z.array(faultSchema).default([]).describe('Faults to inject, in any order.'),
    hunt: z
      .strictObject({
        maxDelay: positiveDurationField().optional().describe('The most the faults `kpsim hunt` adds may hold up any frame, counting TCP backoff: what this network can do at worst. Default: twice the keepalive Timeout.'),
        maxFaults: z.int().min(1).max(8).default(3).describe('At most this many faults in one timeline.'),
      })
      .prefault({})
      .describe('Bounds for `kpsim hunt`: the faults it may add to this scenario.'),
  })
  .describe('A kpsim scenario: two grpc-go peers, the network between them, a workload and faults.');

/** A validated scenario: defaults filled in, durations in integer nanoseconds. */
export type Scenario = z.output<typeof scenarioSchema>;
/** A scenario as written in a file: durations are Go duration strings, defaults may be left out. */
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Workload = Scenario['workload'][number];
export type StreamWorkload = Extract<Workload, { type: 'stream' }>;
export type UnaryWorkload = Extract<Workload, { type: 'unary' }>;
export type Fault = Scenario['faults'][number];
export type TieOrder = (typeof TIE_ORDERS)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type Peer = (typeof PEERS)[number];
export type FaultFrame = (typeof FAULT_FRAMES)[number];
