/**
 * A capture file is not always in time order: a packet may be stamped earlier than one before it
 * in the file (the capturing host's clock stepped back, say by NTP; packets timestamped on
 * different CPUs or interfaces and written out of order; files merged by hand).
 *
 * kpsim keeps the file's order (the order the capture recorded them, which TCP reassembly and the
 * replay follow) and never lets time run backwards: a packet stamped earlier than the latest time
 * of any packet before it in the file is taken at that latest time. Every other packet keeps its
 * own time, so the replay's capture clock agrees with the file's for them.
 * SIMPLIFICATION: after a clock step back, the packets until the clock catches up are all taken
 * at the instant before the step; the time that passed among them is lost (the warning says how
 * much at most: `largest`).
 */
import type { Nanos } from '../time/units.js';
import type { RawPacket } from './raw-packet.js';

/** Packets stamped earlier than a packet before them in the file, and so taken at a later time than stamped. */
export type BackwardTimestamps = {
  readonly packets: number;
  /** The first of them: RawPacket.index, and how much earlier it was stamped than the latest packet before it (ns). */
  readonly first: { readonly packet: number; readonly by: Nanos };
  /** The most any of them was earlier than the latest packet before it (ns). */
  readonly largest: Nanos;
};

export type MonotoneClock = {
  /** By position in the packet list: the time kpsim uses (the running maximum of the stamped times). */
  readonly at: readonly Nanos[];
  /** RawPacket.index -> how much later than stamped that is, for the packets it raised. */
  readonly raisedBy: ReadonlyMap<number, Nanos>;
};

export const monotoneClock = (packets: readonly RawPacket[]): MonotoneClock => {
  const at: Nanos[] = [];
  const raisedBy = new Map<number, Nanos>();
  let latest = Number.NEGATIVE_INFINITY;
  for (const p of packets) {
    if (p.at < latest) raisedBy.set(p.index, latest - p.at);
    latest = Math.max(latest, p.at);
    at.push(latest);
  }
  return { at, raisedBy };
};

/** Of the packets `indices` (RawPacket.index, in file order), the ones the clock raised; `undefined` when none. */
export const backwardTimestamps = (clock: MonotoneClock, indices: Iterable<number>): BackwardTimestamps | undefined => {
  if (clock.raisedBy.size === 0) return undefined;
  let packets = 0;
  let first: BackwardTimestamps['first'] | undefined;
  let largest = 0;
  for (const i of indices) {
    const by = clock.raisedBy.get(i);
    if (by === undefined) continue;
    packets++;
    if (first === undefined) first = { packet: i, by };
    largest = Math.max(largest, by);
  }
  return first === undefined ? undefined : { packets, first, largest };
};
