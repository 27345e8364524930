import { ERROR_CODES, FRAME_RULES, type ErrorScope, type FrameErrorCodeName, type FrameRule } from './frame-rule.js';

export type FrameErrorOptions = {
  readonly streamId: number;
  /** Overrides the rule's default scope (section 4.2 size errors, section 6.9 zero increment). */
  readonly scope?: ErrorScope;
  /** Overrides the rule's section (padding is stated separately for DATA, HEADERS, PUSH_PROMISE). */
  readonly section?: string;
  readonly detail?: string;
};

/** A frame that breaks one RFC 9113 rule; `rule` names it and the message cites its section. */
export class FrameError extends Error {
  readonly rule: FrameRule;
  readonly scope: ErrorScope;
  readonly section: string;
  readonly errorName: FrameErrorCodeName;
  /** The section 7 error code to send (in RST_STREAM or GOAWAY, per `scope`). */
  readonly errorCode: number;
  readonly streamId: number;

  constructor(rule: FrameRule, options: FrameErrorOptions) {
    const info = FRAME_RULES[rule];
    const scope = options.scope ?? info.scope;
    const section = options.section ?? info.section;
    const detail = options.detail === undefined ? '' : ` (${options.detail})`;
    super(
      `${rule}: ${info.summary}${detail} on stream ${options.streamId}; ` +
        `${scope} error ${info.errorName}, RFC 9113 section ${section}`,
    );
    this.name = 'FrameError';
    this.rule = rule;
    this.scope = scope;
    this.section = section;
    this.errorName = info.errorName;
    this.errorCode = ERROR_CODES[info.errorName];
    this.streamId = options.streamId;
  }
}
