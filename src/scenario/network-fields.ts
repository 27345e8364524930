import { z } from 'zod';
import { DELAY_DISTRIBUTIONS, type DelayModel } from '../transport/impairments/delay.js';
import type { LossModel } from '../transport/impairments/loss.js';
import type { LinkRate } from '../transport/impairments/rate.js';
import { parseRate, RATE_PATTERN, RateSyntaxError } from '../transport/impairments/rate-syntax.js';
import { describeValue } from './errors.js';
import { durationField } from './fields.js';

/**
 * Scenario fields for a link's netem-style impairments (docs/impairments.md): loss, delay with
 * jitter, and rate. Each parses to the transport model's own type (`LossModel`, `DelayModel`,
 * `LinkRate`). Probabilities are fractions in [0, 1] (netem's percentages divided by 100); the
 * Gilbert-Elliott keys `1-h` and `1-k` keep netem's names.
 */

const PROBABILITY_HINT = "expected a probability between 0 and 1 (netem's percentage / 100)";

/** A probability in [0, 1]; `what` is its description. */
function probabilityField(what: string) {
  const error = (issue: { readonly input?: unknown }): string => `${PROBABILITY_HINT}, got ${describeValue(issue.input)}`;
  return z
    .number({ error: (issue) => (issue.code === 'invalid_type' && issue.input !== undefined ? error(issue) : undefined) })
    .min(0, { error })
    .max(1, { error })
    .describe(what);
}

const noLoss = z
  .strictObject({
    model: z.literal('none').describe('No loss.'),
  })
  .transform((): LossModel => ({ kind: 'none' }))
  .describe('No packet loss (the same as leaving "loss" out).');

const bernoulliLoss = z
  .strictObject({
    model: z.literal('bernoulli').describe('Independent loss: netem "loss random P".'),
    p: probabilityField('Probability that each packet is lost, independently of the others. netem "loss random 1%" is 0.01.'),
  })
  .transform(({ p }): LossModel => ({ kind: 'bernoulli', p }))
  .describe('Each packet is lost with probability "p": tc qdisc ... netem loss random P.');

const gilbertElliottLoss = z
  .strictObject({
    model: z.literal('gilbert-elliott').describe('Bursty loss from a two-state Markov chain: netem "loss gemodel p r 1-h 1-k".'),
    p: probabilityField('P(Good -> Bad): the chance, per packet sent in the Good state, of entering the Bad state.'),
    r: probabilityField('P(Bad -> Good): the chance, per packet sent in the Bad state, of leaving it. Default 1 - p (netem\'s). The mean stay in Bad is 1/r packets.').optional(),
    '1-h': probabilityField('Loss probability in the Bad state. Default 1 (netem\'s): every packet sent in Bad is lost.').optional(),
    '1-k': probabilityField('Loss probability in the Good state. Default 0 (netem\'s): no packet sent in Good is lost.').optional(),
  })
  .transform(
    (v): LossModel => ({
      kind: 'gilbert-elliott',
      p: v.p,
      r: v.r ?? 1 - v.p,
      oneMinusH: v['1-h'] ?? 1,
      oneMinusK: v['1-k'] ?? 0,
    }),
  )
  .describe('Gilbert-Elliott burst loss: tc qdisc ... netem loss gemodel p r 1-h 1-k. Left-out parameters take netem\'s defaults.');

/**
 * A link's `loss`: `{ "model": "bernoulli", "p": 0.01 }`, `{ "model": "gilbert-elliott", "p":
 * 0.01, "r": 0.3, "1-h"?: 1, "1-k"?: 0 }` or `{ "model": "none" }`. Absent: no loss.
 */
export const lossSchema = z
  .discriminatedUnion('model', [noLoss, bernoulliLoss, gilbertElliottLoss])
  .prefault({ model: 'none' })
  .describe('Packet loss on this direction, as netem models it: "bernoulli" (loss random) or "gilbert-elliott" (loss gemodel). Absent: no loss.');

/**
 * Delay fields to spread into an object: `delay` (default `defaultDelay`), `jitter` (default
 * "0s"), `distribution` (default "uniform"): netem `delay TIME JITTER distribution D`.
 * `delayModelFrom` turns the parsed fields into a `DelayModel`.
 */
export function delayFieldsWith(defaultDelay: string) {
  return {
    delay: durationField().prefault(defaultDelay).describe('Mean one-way delay (netem "delay TIME").'),
    jitter: durationField()
      .prefault('0s')
      .describe('Delay variation (netem "JITTER"): half-width of the range for "uniform", the scale (sigma) of the table for the others.'),
    distribution: z
      .enum(DELAY_DISTRIBUTIONS)
      .default('uniform')
      .describe('How delays spread around "delay" (netem "distribution"): "uniform" in [delay - jitter, delay + jitter), or netem\'s "normal", "pareto" or "paretonormal" table. Delays never go below 0.'),
  } as const;
}

/** A link's delay fields, to spread into the link's object; `delay` defaults to "10ms". */
export const delayFields = delayFieldsWith('10ms');

const delayObject = z.strictObject(delayFields);

/** The parsed delay fields of a link (durations in nanoseconds). */
export type DelayFields = z.output<typeof delayObject>;

/** The `DelayModel` of a link's parsed delay fields. */
export function delayModelFrom(fields: Pick<DelayFields, 'delay' | 'jitter' | 'distribution'>): DelayModel {
  return { base: fields.delay, jitter: fields.jitter, distribution: fields.distribution };
}

/** The delay fields on their own, as an object: `{ "delay": "20ms", "jitter": "5ms", "distribution": "normal" }`. */
export const delaySchema = delayObject.transform(delayModelFrom).describe('One-way delay as netem applies it: delay TIME JITTER distribution D.');

/** A tc rate string (`"10mbit"`, `"64kbps"`), parsed to whole bits per second. */
export function rateField() {
  return z
    .string({
      error: (issue) => {
        if (issue.code !== 'invalid_type') return undefined;
        return issue.input === undefined ? 'required field is missing' : `expected a rate string such as "10mbit", got ${describeValue(issue.input)}`;
      },
    })
    .meta({ pattern: RATE_PATTERN, examples: ['10mbit', '1.5mbit', '64kbps'] })
    .transform((text, ctx): number => {
      try {
        return parseRate(text);
      } catch (e) {
        if (!(e instanceof RateSyntaxError)) throw e;
        ctx.issues.push({ code: 'custom', message: e.message, input: text });
        return z.NEVER;
      }
    });
}

/**
 * A link's `rate`: a tc rate string such as `"10mbit"` (units bit, kbit, mbit, gbit, tbit = bits
 * per second; bps, kbps, mbps, gbps, tbps = BYTES per second; IEC kibit, mibps, ...). Absent: an
 * unlimited link.
 */
export const rateSchema = rateField()
  .optional()
  .transform((bitsPerSecond): LinkRate => ({ bitsPerSecond }))
  .describe('Link bandwidth (netem "rate"): a tc rate such as "10mbit" or "64kbps" (bit units are bits per second, bps units BYTES per second). Absent: unlimited.');

export type LossInput = z.input<typeof lossSchema>;
export type DelayInput = z.input<typeof delaySchema>;
export type RateInput = z.input<typeof rateSchema>;
export type { DelayModel, LinkRate, LossModel };
