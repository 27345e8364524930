import { SweepInputError } from './sweep-error.js';

/**
 * `--max-false-kills`: a rate written `<count>/<unit>` for one connection, e.g. `1/day`, `0.1/hour`,
 * or `<count>/<unit>/fleet` for the whole fleet (requires `--fleet N`), e.g. `10/hour/fleet`.
 * Units: second, minute, hour, day, week (also s, min, h, d, w). A fleet limit is divided by the
 * fleet size: N connections at r kills per connection-day give N r kills per day.
 */
export type FalseKillLimit = {
  /** The limit per connection-day, whatever the text's unit and scope. */
  readonly perConnectionDay: number;
  readonly scope: 'connection' | 'fleet';
  readonly text: string;
};

const PER_DAY: Readonly<Record<string, number>> = {
  s: 86_400, sec: 86_400, second: 86_400,
  min: 1_440, minute: 1_440,
  h: 24, hour: 24,
  d: 1, day: 1,
  w: 1 / 7, week: 1 / 7,
};

const RATE = /^(?<count>\d+(?:\.\d+)?(?:e[-+]?\d+)?)\/(?<unit>[a-z]+)(?:\/(?<scope>fleet|conn|connection))?$/i;

export function parseFalseKillLimit(text: string, fleet: number | undefined): FalseKillLimit {
  const fail = (why: string): SweepInputError => new SweepInputError('--max-false-kills', `--max-false-kills ${JSON.stringify(text)}: ${why}`);
  const m = RATE.exec(text.trim());
  if (m === null) throw fail('expected <count>/<unit>, e.g. 1/day, or <count>/<unit>/fleet with --fleet, e.g. 10/hour/fleet');
  const count = Number(m.groups?.['count']);
  const unit = (m.groups?.['unit'] ?? '').toLowerCase();
  const perUnit = PER_DAY[unit];
  if (perUnit === undefined) throw fail(`unknown unit "${unit}": use second, minute, hour, day or week`);
  if (!Number.isFinite(count)) throw fail(`"${m.groups?.['count'] ?? ''}" is not a number`);
  const scope = (m.groups?.['scope'] ?? 'connection').toLowerCase() === 'fleet' ? 'fleet' : 'connection';
  const perDay = count * perUnit;
  if (scope === 'fleet') {
    if (fleet === undefined) throw fail('a /fleet limit needs --fleet N (the number of connections)');
    return { perConnectionDay: perDay / fleet, scope, text };
  }
  return { perConnectionDay: perDay, scope, text };
}
