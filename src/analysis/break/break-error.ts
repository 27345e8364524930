/**
 * Why `findBreakThreshold` cannot measure a family on a scenario: the server never pings, the
 * connection is not live without the fault, the family needs the TCP network, and so on. The
 * message is one sentence for the user, naming the scenario's fact that stands in the way.
 */
export class BreakError extends Error {
  override readonly name = 'BreakError';
}
