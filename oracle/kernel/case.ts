import type { PathDirection } from './path-faults.js';

/**
 * One real-kernel case, written once: the harness flags and kpsim's scenario are both derived
 * from it (run-case.ts harnessFlags, case-scenario.ts), so the two cannot describe different setups.
 * Durations are Go duration strings; times count from the client's connect.
 */
export type KernelCase = {
  readonly name: string;
  /** What the case shows and why kpsim could get it wrong. */
  readonly about: string;
  /** How long both processes run, from the connect. */
  readonly for: string;
  readonly server: {
    /** ServerParameters.Time / Timeout (absent: grpc-go's defaults). */
    readonly time?: string;
    readonly timeout?: string;
    /** A message from the server on the stream this often. */
    readonly every?: string;
  };
  readonly client: {
    /** ClientParameters.Time / Timeout; absent time: WithKeepaliveParams is not called. */
    readonly time?: string;
    readonly timeout?: string;
    readonly permitWithoutStream?: boolean;
    /** Open no stream at all. */
    readonly noStream?: boolean;
    /** The first message goes this long after the stream opens (default: at once). */
    readonly sendFrom?: string;
    /** Then one every this long (absent: only the first). */
    readonly every?: string;
  };
  /** Message size in bytes, both sides. */
  readonly size?: number;
  /** Outages on the router. */
  readonly faults: readonly { readonly at: string; readonly for: string; readonly direction: PathDirection | 'both' }[];
};
