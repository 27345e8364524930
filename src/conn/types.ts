import type { Frame } from '../frames/frame.js';
import type { Nanos } from '../time/units.js';

export type Actor = 'server' | 'client';

/**
 * Inputs to a connection machine (past tense): what its reader read, which timer fired, what its
 * application did, and what its socket reported.
 */
export type ConnEvent =
  | { readonly type: 'frameRead'; readonly frame: Frame }
  | { readonly type: 'timerFired'; readonly timer: TimerName }
  | { readonly type: 'streamStarted'; readonly streamId: number; readonly unary: boolean }
  | { readonly type: 'messageWritten'; readonly streamId: number; readonly size: number; readonly endStream: boolean }
  | { readonly type: 'handlerReturned'; readonly streamId: number }
  | { readonly type: 'eofRead' }
  | { readonly type: 'resetReceived' }
  /** The kernel gave up on the socket (ETIMEDOUT): the next read fails. */
  | { readonly type: 'socketTimedOut' };

export type TimerName = 'kpTimer' | 'idleTimer' | 'ageTimer' | 'drainTimer';
/** Fixed order for timers due at the same instant (upstream's select picks at random; see docs/model.md). */
export const TIMER_ORDER = ['idleTimer', 'ageTimer', 'kpTimer', 'drainTimer'] as const satisfies readonly TimerName[];

/** Why a transport closed. */
export type CloseCause =
  | 'keepalive'
  | 'too_many_pings'
  | 'max_age'
  | 'drained'
  | 'goaway'
  | 'eof'
  | 'reset'
  /** The kernel aborted the socket: retransmissions exhausted, TCP_USER_TIMEOUT, or TCP keepalive. */
  | 'tcp_abort';

/**
 * Outputs (imperative): frames to write, the transport to close, and notes for the application
 * side of the simulation.
 */
export type ConnAction =
  | { readonly type: 'sendFrame'; readonly frame: Frame }
  | {
      readonly type: 'close';
      readonly cause: CloseCause;
      readonly reason: string;
      /**
       * The socket stays open this long after the transport closed, or until the peer's EOF is
       * read, whichever comes first (grpc-go v1.62+ after its writer stops on a GOAWAY that ends
       * the connection, so that unread bytes do not turn the FIN into an RST).
       */
      readonly lingerFor?: Nanos | undefined;
    }
  | { readonly type: 'requestReceived'; readonly streamId: number }
  | { readonly type: 'streamFailed'; readonly streamId: number; readonly error: string }
  | { readonly type: 'log'; readonly text: string };

export type ConnActionSink = ConnAction[];

/** A machine the world can drive. `state` is mutated in place by `step` (see docs/design.md). */
export type ConnMachine<S> = {
  readonly actor: Actor;
  readonly state: S;
  step(event: ConnEvent, now: Nanos, out: ConnActionSink): void;
  /** Earliest armed timer, in TIMER_ORDER among equal deadlines; `undefined` when none is armed. */
  nextTimer(): { readonly at: Nanos; readonly timer: TimerName } | undefined;
  /** `nextTimer()?.at`, or `Infinity` when no timer is armed (no allocation: the world asks every event). */
  nextTimerAt(): Nanos;
  /** The state variables a trace shows, flattened. */
  watch(): Record<string, string | number | boolean | null>;
  readonly closed: boolean;
};
