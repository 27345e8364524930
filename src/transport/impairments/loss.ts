import { assertNever } from '../../lib/assert-never.js';
import type { Rng } from '../../time/rng.js';

/**
 * Packet loss as netem decides it, one decision per packet (linux net/sched/sch_netem.c
 * `loss_event`):
 *
 * - `bernoulli`: `tc qdisc ... netem loss random P` — each packet is lost with probability p,
 *   independently (netem's `CLG_RANDOM` with no correlation).
 * - `gilbert-elliott`: `tc qdisc ... netem loss gemodel p r 1-h 1-k` (netem's `CLG_GILB_ELL`):
 *
 *   ```
 *              p                    state  loss probability
 *        +-----------+              Good   1-k  (oneMinusK)
 *   1-p  |           v  1-r         Bad    1-h  (oneMinusH)
 *   ( Good )       ( Bad )
 *        ^           |
 *        +-----------+
 *              r
 *   ```
 *
 * Probabilities here are fractions in [0, 1]; netem's command line takes percentages
 * (`loss random 1%` is `p: 0.01`).
 */
export type LossModel =
  | { readonly kind: 'none' }
  | { readonly kind: 'bernoulli'; readonly p: number }
  | {
      readonly kind: 'gilbert-elliott';
      /** P(Good -> Bad), drawn once per packet in Good. */
      readonly p: number;
      /** P(Bad -> Good), drawn once per packet in Bad. iproute2's default: 1 - p. */
      readonly r: number;
      /** Loss probability in Bad (netem's `1-h`). iproute2's default: 1. */
      readonly oneMinusH: number;
      /** Loss probability in Good (netem's `1-k`). iproute2's default: 0. */
      readonly oneMinusK: number;
    };

/** Gilbert-Elliott state (netem's `GOOD_STATE` / `BAD_STATE`). */
export type GilbertElliottState = 'good' | 'bad';

export type LossProcess = {
  /** Decides the next packet's fate: `true` = lost. Call once per packet, in sending order. */
  drop(): boolean;
  /**
   * Gilbert-Elliott: the state the NEXT packet will find (netem starts in Good).
   * `undefined` for the stateless models.
   */
  readonly state: GilbertElliottState | undefined;
};

/**
 * A loss process drawing from `rng`. Draws per packet, mirroring netem so that the stream of
 * draws is netem's: `none` none; `bernoulli` one (none when p is 0: netem tests `q->loss &&`
 * first); `gilbert-elliott` always two.
 *
 * Gilbert-Elliott order, as netem's `loss_gilb_ell`: first a draw for the transition out of the
 * current state, then a draw for the loss, against the loss probability of the state the packet
 * FOUND (the `switch` is on the state before the transition). So packet n's fate depends on state
 * S(n), and the transition only decides S(n+1).
 */
export function createLossProcess(model: LossModel, rng: Rng): LossProcess {
  validateLossModel(model);
  switch (model.kind) {
    case 'none':
      return { drop: () => false, state: undefined };
    case 'bernoulli': {
      const { p } = model;
      return { drop: () => p > 0 && rng.nextFloat() < p, state: undefined };
    }
    case 'gilbert-elliott': {
      const { p, r, oneMinusH, oneMinusK } = model;
      let state: GilbertElliottState = 'good';
      return {
        drop(): boolean {
          // sch_netem.c loss_gilb_ell: case GOOD_STATE / case BAD_STATE.
          if (state === 'good') {
            if (rng.nextFloat() < p) state = 'bad';
            return rng.nextFloat() < oneMinusK;
          }
          if (rng.nextFloat() < r) state = 'good';
          return rng.nextFloat() < oneMinusH;
        },
        get state() {
          return state;
        },
      };
    }
    default:
      return assertNever(model, 'loss model');
  }
}

/**
 * Long-run fraction of packets lost. Gilbert-Elliott: the chain's stationary distribution is
 * πB = p / (p + r), πG = r / (p + r), so the rate is πG·(1-k) + πB·(1-h). When p + r = 0 the
 * chain never leaves Good (where netem starts), so the rate is 1-k.
 */
export function stationaryLossRate(model: LossModel): number {
  switch (model.kind) {
    case 'none':
      return 0;
    case 'bernoulli':
      return model.p;
    case 'gilbert-elliott': {
      const { bad, good } = stationary(model);
      return good * model.oneMinusK + bad * model.oneMinusH;
    }
    default:
      return assertNever(model, 'loss model');
  }
}

/**
 * Mean length of a burst (a maximal run of consecutive lost packets), in the long run:
 * P(lost) / P(lost, then the next one delivered), since every burst ends exactly once.
 *
 * - `bernoulli`: 1 / (1 - p).
 * - `gilbert-elliott`, with netem's default 1-h = 1 and 1-k = 0: every packet in Bad is lost and
 *   none in Good, so a burst is a stay in Bad: 1 / r. In general it is
 *   Σ_s π_s ℓ_s / Σ_s π_s ℓ_s Σ_s' P(s, s') (1 - ℓ_s'), with ℓ the per-state loss probability.
 *
 * 0 when nothing is ever lost; `Infinity` when a burst never ends (p = 1, or r = 0 with 1-h = 1).
 */
export function meanBurstLength(model: LossModel): number {
  switch (model.kind) {
    case 'none':
      return 0;
    case 'bernoulli':
      return burst(model.p, model.p * (1 - model.p));
    case 'gilbert-elliott': {
      const { p, r, oneMinusH: lossBad, oneMinusK: lossGood } = model;
      const { bad, good } = stationary(model);
      const rate = good * lossGood + bad * lossBad;
      const deliveredAfterGood = (1 - p) * (1 - lossGood) + p * (1 - lossBad);
      const deliveredAfterBad = r * (1 - lossGood) + (1 - r) * (1 - lossBad);
      return burst(rate, good * lossGood * deliveredAfterGood + bad * lossBad * deliveredAfterBad);
    }
    default:
      return assertNever(model, 'loss model');
  }
}

/** Mean burst from P(lost) and P(lost, next delivered). */
function burst(rate: number, endings: number): number {
  if (rate === 0) return 0;
  return endings === 0 ? Infinity : rate / endings;
}

function stationary(model: { readonly p: number; readonly r: number }): { bad: number; good: number } {
  const total = model.p + model.r;
  if (total === 0) return { bad: 0, good: 1 };
  return { bad: model.p / total, good: model.r / total };
}

/** Throws a RangeError unless every probability of `model` is a number in [0, 1]. */
export function validateLossModel(model: LossModel): void {
  const check = (name: string, v: number): void => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`loss model ${model.kind}: ${name} must be a probability in [0, 1], got ${v}`);
  };
  switch (model.kind) {
    case 'none':
      return;
    case 'bernoulli':
      check('p', model.p);
      return;
    case 'gilbert-elliott':
      check('p', model.p);
      check('r', model.r);
      check('1-h', model.oneMinusH);
      check('1-k', model.oneMinusK);
      return;
    default:
      assertNever(model, 'loss model');
  }
}
