import type { ErrorScope } from './frame-rule.js';
import { HPACK_ERROR_CODES, HPACK_RULES, type HpackErrorCodeName, type HpackRule } from './hpack-rule.js';

export type HpackErrorOptions = {
  readonly streamId: number;
  readonly detail?: string;
};

/**
 * A header block that breaks one rule (see HPACK_RULES); `rule` names it and the message cites its
 * source. Plain errors that hpack.js throws on bad input arrive here as 'compression-error' with
 * hpack.js's message as the detail.
 */
export class HpackError extends Error {
  readonly rule: HpackRule;
  readonly scope: ErrorScope;
  readonly source: string;
  readonly errorName: HpackErrorCodeName;
  /** The RFC 9113 section 7 error code to send (in RST_STREAM or GOAWAY, per `scope`). */
  readonly errorCode: number;
  readonly streamId: number;

  constructor(rule: HpackRule, options: HpackErrorOptions) {
    const info = HPACK_RULES[rule];
    const detail = options.detail === undefined ? '' : ` (${options.detail})`;
    super(`${rule}: ${info.summary}${detail} on stream ${options.streamId}; ${info.scope} error ${info.errorName}, ${info.source}`);
    this.name = 'HpackError';
    this.rule = rule;
    this.scope = info.scope;
    this.source = info.source;
    this.errorName = info.errorName;
    this.errorCode = HPACK_ERROR_CODES[info.errorName];
    this.streamId = options.streamId;
  }
}
