import { HOUR, type Nanos } from '../time/units.js';

/**
 * The server's PING policy check, `http2Server.handlePing` for a PING without ACK
 * (internal/transport/http2_server.go, same logic in every modelled version).
 * Upstream queues the PING ACK first, then judges the PING; so do the callers of `judgePing`.
 */
export const maxPingStrikes = 2;
/** With no active stream and PermitWithoutStream false, pings closer than this are strikes. */
export const defaultPingTimeout: Nanos = 2 * HOUR;

export type EnforcementState = {
  /** Time of the previous PING; `undefined` is Go's zero time, which never makes a strike. */
  lastPingAt: Nanos | undefined;
  pingStrikes: number;
  /** Set when the server writes HEADERS or DATA (loopy's onWrite callbacks). */
  resetPingStrikes: boolean;
};

export type EnforcementSettings = { readonly minTime: Nanos; readonly permitWithoutStream: boolean };

export function initialEnforcement(): EnforcementState {
  return { lastPingAt: undefined, pingStrikes: 0, resetPingStrikes: false };
}

/** Returns true when the strike limit is exceeded: GOAWAY ENHANCE_YOUR_CALM "too_many_pings" and close. */
export function judgePing(e: EnforcementState, cfg: EnforcementSettings, activeStreams: number, now: Nanos): boolean {
  const previous = e.lastPingAt;
  // `defer t.lastPingAt = now`: every path below records this ping's time.
  e.lastPingAt = now;
  if (e.resetPingStrikes) {
    e.resetPingStrikes = false;
    e.pingStrikes = 0;
    return false;
  }
  const window = activeStreams < 1 && !cfg.permitWithoutStream ? defaultPingTimeout : cfg.minTime;
  // lastPingAt.Add(window).After(now): strictly later.
  if (previous !== undefined && previous + window > now) e.pingStrikes++;
  return e.pingStrikes > maxPingStrikes;
}
