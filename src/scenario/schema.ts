import { z } from 'zod';
import type { FrameType } from '../frames/frame.js';
import { formatDuration } from '../time/duration.js';
import { HOUR, type Nanos } from '../time/units.js';
import { DEFAULT_GRPC_GO_VERSION, boundedDurationField, byteCountField, durationField, positiveDurationField, versionField } from './fields.js';

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
    time: durationField().optional().describe('ClientParameters.Time: ping the server after this long without reads. Absent: client keepalive is off (grpc-go default). grpc-go raises values below 10s to 10s.'),
    timeout: durationField().optional().describe('ClientParameters.Timeout: close the connection if the ping is not acknowledged within this. grpc-go default 20s.'),
    permitWithoutStream: z.boolean().default(false).describe('ClientParameters.PermitWithoutStream: keep pinging with no active streams (otherwise keepalive goes dormant).'),
  })
  .describe('grpc-go keepalive.ClientParameters. Absent or without "time": client keepalive is off.');

const readerLatency = (who: string) =>
  durationField()
    .prefault('0s')
    .describe(`Time the ${who}'s reader goroutine takes to read one frame after it arrives.`);

const server = z
  .strictObject({
    version: versionField().prefault(DEFAULT_GRPC_GO_VERSION).describe('grpc-go release whose server behaviour is modelled, e.g. "1.83.1" (a leading "v" is allowed).'),
    keepalive: serverKeepalive.prefault({}),
    enforcement: enforcement.prefault({}),
    readerLatency: readerLatency('server'),
  })
  .describe('The gRPC server (grpc-go) end of the connection.');

const client = z
  .strictObject({
    version: versionField().prefault(DEFAULT_GRPC_GO_VERSION).describe('grpc-go release whose client behaviour is modelled, e.g. "1.83.1" (a leading "v" is allowed).'),
    keepalive: clientKeepalive.prefault({}),
    readerLatency: readerLatency('client'),
  })
  .describe('The gRPC client (grpc-go) end of the connection.');

const link = (from: string, to: string) =>
  z
    .strictObject({
      delay: durationField().prefault('10ms').describe(`One-way delay from the ${from} to the ${to}, for every frame.`),
    })
    .describe(`The ${from}-to-${to} direction of the connection.`);

const network = z
  .strictObject({
    clientToServer: link('client', 'server').prefault({}),
    serverToClient: link('server', 'client').prefault({}),
  })
  .describe('The network between the two peers, one entry per direction.');

const messageSchedule = (who: string) =>
  z
    .strictObject({
      every: positiveDurationField().describe(`The ${who} sends a message this often.`),
      size: byteCountField().describe('Size of each message in bytes (the gRPC payload, before the 5-byte prefix).'),
      first: durationField().optional().describe('When the first message goes, relative to the stream\'s "at". Default: "every".'),
    })
    .transform(({ every, size, first }) => ({ every, size, first: first ?? every }))
    .describe(`Messages the ${who} sends on the stream. Absent: the ${who} sends none.`);

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

export const faultSchema = z
  .discriminatedUnion('type', [delayFrameFault, blackholeFault, crashFault, readerStallFault])
  .describe('A fault injected into the run.');

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema for editors; ignored by kpsim.'),
    name: z.string().min(1).describe('Short name of the scenario.'),
    description: z.string().optional().describe('What the scenario shows, in a sentence or two.'),
    seed: z.int().min(0).max(0xffff_ffff).default(1).describe('Seed for every random choice in the run (a 32-bit unsigned integer).'),
    horizon: boundedDurationField(MAX_HORIZON, 'the longest horizon').prefault('1h').describe('When the run stops if the connection has not closed; at most 100 days.'),
    tieOrder: z.enum(TIE_ORDERS).default('reads-first').describe('Which goes first when a frame read and a timer fall on the same instant.'),
    server: server.prefault({}),
    client: client.prefault({}),
    network: network.prefault({}),
    workload: z.array(workloadSchema).default([]).describe('What the client does, in any order.'),
    faults: z.array(faultSchema).default([]).describe('Faults to inject, in any order.'),
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
