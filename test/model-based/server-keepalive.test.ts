/**
 * Model-based test: kpsim's server machine (src/conn/server-conn.ts) against the literal model of
 * grpc-go's http2Server keepalive and handlePing (src/testing/literal/), at v1.83.1 (lastRead
 * loop) and v1.25.0 (activity loop), for random Time/Timeout/MinTime/PermitWithoutStream.
 * After every command both must have written the same frames at the same instants, ended at the
 * same instant for the same cause, and armed their next timer for the same instant.
 *
 * Tie rule: a read (or an application call) at `now` goes before a timer due at that `now`
 * (see server-harness.ts). A failure prints fast-check's seed and path, the shrunk commands, and
 * the script as it ran with absolute times.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { Frame, PingPayloadKind } from '../../src/frames/frame.js';
import { HOUR, MINUTE, type Nanos } from '../../src/time/units.js';
import { literalServerNextDeadline } from '../../src/testing/literal/server-literal.js';
import { kpsimFrameText } from './frame-text.js';
import {
  advanceServer,
  checkServerAgreement,
  readByServer,
  serverEnded,
  serverHandlerReturns,
  serverSendsMessage,
  setupServer,
  type ServerModel,
  type ServerReal,
  type ServerSettings,
} from './server-harness.js';

/**
 * Upstream behaviours this test found where kpsim first differed. The generators can keep clear
 * of the ones still open, so the suite stays a regression check; `true` lets fast-check explore
 * them (and find and shrink the disagreement again if it came back).
 *
 * Fixed in kpsim after this test found them (now explored on every run):
 * 2. zeroLengthData: a DATA frame with no payload still makes `bdpEstimator.add(0)` send a BDP PING.
 * 3. rstAfterTrailers: writeStatus sends RST_STREAM(NO_ERROR) after the trailers when the client
 *    had not half-closed.
 * 5. quarterWindow: trInFlow.onData compares the unacked bytes with `limit/4` in integer
 *    arithmetic (16383).
 *
 * Still open (documented in docs/model.md):
 * 1. lingerAfterTooManyPings: since v1.62.0 (grpc-go #6977) a server whose writer stopped on a
 *    non-I/O error (the too_many_pings GOAWAY) closes the socket only when its reader is done or
 *    after 1 s; until then the reader and keepalive() keep running. The world models the socket's
 *    linger (src/sim/world.ts); the machine reports its close at the GOAWAY. By default the test
 *    compares the instant writing stopped and stops there.
 * 4. dataAfterEndStream: at v1.83.1 (since grpc-go #3803; not at v1.25.0), DATA on a stream the
 *    client already half-closed makes handleData send RST_STREAM(STREAM_CLOSED) and drop the
 *    stream; kpsim keeps it.
 */
const EXPLORE = {
  lingerAfterTooManyPings: false,
  zeroLengthData: true,
  rstAfterTrailers: true,
  dataAfterEndStream: false,
  quarterWindow: true,
} as const satisfies Record<string, boolean>;

type Cmd = fc.Command<ServerModel, ServerReal>;

/** A command; `act` may return what it resolved to (a stream id, a frame) for the script as run. */
function command(label: string, check: (m: Readonly<ServerModel>) => boolean, act: (m: ServerModel, r: ServerReal) => string | void): Cmd {
  return {
    check: (m) => !serverEnded(m) && check(m),
    run: (m, r) => {
      const at = m.now;
      const line = m.script.push(`t=${at} ${label}`) - 1;
      const detail = act(m, r);
      m.script[line] = `t=${at}${m.now !== at ? `→${m.now}` : ''} ${label}${typeof detail === 'string' ? `: ${detail}` : ''}`;
      checkServerAgreement(m, r, { strictClose: EXPLORE.lingerAfterTooManyPings });
    },
    toString: () => label,
  };
}

const always = (): boolean => true;
/** 65535/4 rounded down (disagreement 5, fixed). */
const QUARTER_WINDOW = 16383;
const activeIds = (m: Readonly<ServerModel>): number[] => [...(m.lit.activeStreams?.keys() ?? [])];
const streamState = (m: Readonly<ServerModel>, id: number) => m.lit.activeStreams?.get(id)?.state;
const nextStreamId = (m: Readonly<ServerModel>): number => (m.streams.at(-1) ?? -1) + 2;
const pickOf = <T>(xs: readonly T[], pick: number): T | undefined => xs[pick % Math.max(1, xs.length)];
/** Which of the eligible streams a command takes (modulo their number): small, so scripts read well. */
const pickArb = fc.nat({ max: 7 });

const scaled = (unit: Nanos, k: number, j: number): Nanos => Math.max(1, k * unit + j);
const jitterArb = fc.integer({ min: -1, max: 1 });

const settingsArb: fc.Arbitrary<ServerSettings> = fc
  .record({
    version: fc.constantFrom('1.83.1' as const, '1.25.0' as const),
    unit: fc.constantFrom(1, MINUTE),
    time: fc.tuple(fc.integer({ min: 1, max: 100 }), jitterArb),
    timeout: fc.tuple(fc.constantFrom('equal', 'shorter', 'longer', 'default'), fc.integer({ min: 0, max: 100 }), jitterArb),
    minTime: fc.option(fc.tuple(fc.integer({ min: 0, max: 150 }), jitterArb), { freq: 6 }),
    permitWithoutStream: fc.boolean(),
  })
  .map(({ version, unit, time: [tk, tj], timeout: [rel, ok, oj], minTime, permitWithoutStream }) => {
    const time = scaled(unit, tk, tj);
    const timeout =
      rel === 'equal' ? time : rel === 'shorter' ? Math.max(1, time - scaled(unit, ok, oj)) : rel === 'longer' ? time + scaled(unit, ok, oj) : undefined;
    return {
      version,
      unit,
      time,
      timeout,
      minTime: minTime === null ? undefined : scaled(unit, minTime[0], minTime[1]),
      permitWithoutStream,
    };
  });

const pingKindArb = fc.constantFrom<PingPayloadKind>('keepalive', 'bdp', 'drain', 'other');
const dataLengthArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 20_000 }) },
  { weight: 2, arbitrary: fc.constantFrom(1, 4095, 16383, 16384) },
  ...(EXPLORE.zeroLengthData ? [{ weight: 1, arbitrary: fc.constant(0) }] : []),
);

function commandArbs(s: ServerSettings): fc.Arbitrary<Cmd>[] {
  const durations = [fc.tuple(fc.integer({ min: 0, max: 120 }), jitterArb).map(([k, j]) => scaled(s.unit, k, j))];
  // defaultPingTimeout (2 h) is only reachable when durations are counted in minutes.
  if (s.unit === MINUTE) durations.push(fc.constantFrom(2 * HOUR - 1, 2 * HOUR, 2 * HOUR + 1));
  const read = (label: string, frame: (m: ServerModel) => Frame, check: (m: Readonly<ServerModel>) => boolean = always): Cmd =>
    command(label, check, (m, r) => {
      const f = frame(m);
      readByServer(m, r, f);
      return kpsimFrameText(f);
    });
  const readPing = pingKindArb.map((p) => read(`read PING(${p})`, () => ({ type: 'PING', ack: false, payload: p })));
  return [
    fc.oneof(...durations).map((d) => command(`advance(+${d})`, always, (m, r) => advanceServer(m, r, m.now + d))),
    fc.integer({ min: -1, max: 1 }).map((k) =>
      command(
        `advanceToNextTimer(${k >= 0 ? '+' : ''}${k})`,
        (m) => {
          const at = nextDeadline(m);
          return at !== undefined && at + k > m.now;
        },
        (m, r) => advanceServer(m, r, (nextDeadline(m) ?? m.now) + k),
      ),
    ),
    // PINGs twice as often as other reads: enforcement needs a few in a row.
    readPing,
    readPing,
    pingKindArb.map((p) => read(`read PING[ack](${p})`, () => ({ type: 'PING', ack: true, payload: p }))),
    fc.boolean().map((endStream) =>
      read(`read HEADERS request${endStream ? ' END_STREAM' : ''}`, (m) => ({ type: 'HEADERS', streamId: nextStreamId(m), endStream, kind: 'request' })),
    ),
    fc.record({ pick: pickArb, length: dataLengthArb, endStream: fc.boolean() }).map(({ pick, length, endStream }) => {
      const target = (m: Readonly<ServerModel>): number => pickOf(m.streams, pick) ?? 1;
      return read(
        `read DATA(stream#${pick}, ${length}B${endStream ? ', END_STREAM' : ''})`,
        (m) => ({ type: 'DATA', streamId: target(m), length, endStream }),
        (m) =>
          (EXPLORE.dataAfterEndStream || streamState(m, target(m)) !== 'streamReadDone') &&
          (EXPLORE.quarterWindow || m.lit.fc.unacked + length !== QUARTER_WINDOW),
      );
    }),
    pickArb.map((pick) =>
      read(`read RST_STREAM(stream#${pick})`, (m) => ({ type: 'RST_STREAM', streamId: pickOf(m.streams, pick) ?? 1, code: 'CANCEL' })),
    ),
    fc.constantFrom<Frame>({ type: 'SETTINGS', ack: false }, { type: 'SETTINGS', ack: true }, { type: 'WINDOW_UPDATE', streamId: 0, increment: 1000 }).map((f) =>
      read(`read ${f.type}${'ack' in f && f.ack ? '[ack]' : ''}`, () => f),
    ),
    fc.record({ pick: pickArb, size: fc.integer({ min: 1, max: 40_000 }) }).map(({ pick, size }) =>
      command(
        `server sends ${size}B (active#${pick})`,
        (m) => activeIds(m).length > 0,
        (m, r) => {
          const id = pickOf(activeIds(m), pick) ?? 0;
          serverSendsMessage(m, r, id, size);
          return `s=${id}`;
        },
      ),
    ),
    pickArb.map((pick) => {
      const eligible = (m: Readonly<ServerModel>): number[] =>
        activeIds(m).filter((id) => EXPLORE.rstAfterTrailers || streamState(m, id) === 'streamReadDone');
      return command(
        `handler returns (eligible#${pick})`,
        (m) => eligible(m).length > 0,
        (m, r) => {
          const id = pickOf(eligible(m), pick) ?? 0;
          serverHandlerReturns(m, r, id);
          return `s=${id}`;
        },
      );
    }),
  ];
}

function nextDeadline(m: Readonly<ServerModel>): Nanos | undefined {
  return literalServerNextDeadline(m.lit);
}

describe('server keepalive: kpsim against the literal model of grpc-go', () => {
  it('agrees on frames, close and timers for random settings and command scripts (v1.83.1, v1.25.0)', () => {
    const scenario = settingsArb.chain((s) => fc.tuple(fc.constant(s), fc.commands(commandArbs(s), { maxCommands: 50, size: 'medium' })));
    fc.assert(
      fc.property(scenario, ([s, cmds]) => {
        fc.modelRun(() => {
          const { model, real } = setupServer(s);
          checkServerAgreement(model, real, { strictClose: EXPLORE.lingerAfterTooManyPings });
          return { model, real };
        }, cmds);
      }),
      { numRuns: 600 },
    );
  });
});
