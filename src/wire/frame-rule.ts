/**
 * The section 4 and 6 rules of RFC 9113 that a single frame can break, each with the section that
 * states it, the error code it calls for, and whether it is a connection or a stream error.
 *
 * Not a rule: the reserved bit of the stream identifier (and of the promised stream id, stream
 * dependency, and window increment fields) "MUST be ignored when receiving" (section 4.1), so the
 * decoder masks it rather than rejecting.
 */
export type ErrorScope = 'connection' | 'stream';

/** The error codes (section 7) these rules use. */
export const ERROR_CODES = {
  PROTOCOL_ERROR: 0x1,
  FLOW_CONTROL_ERROR: 0x3,
  FRAME_SIZE_ERROR: 0x6,
} as const;
export type FrameErrorCodeName = keyof typeof ERROR_CODES;

export type FrameRuleInfo = {
  readonly section: string;
  readonly errorName: FrameErrorCodeName;
  /** Default scope; some rules decide it per frame (see FrameError.scope). */
  readonly scope: ErrorScope;
  readonly summary: string;
};

export const FRAME_RULES = {
  'preface-invalid': { section: '3.4', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'client connection does not start with the connection preface' },
  'frame-too-large': { section: '4.2', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'length exceeds SETTINGS_MAX_FRAME_SIZE' },
  'frame-too-short': { section: '4.2', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'frame too small to contain mandatory frame data' },
  'data-on-stream-0': { section: '6.1', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'DATA frame on stream 0' },
  'padding-too-long': { section: '6.1', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'padding length not less than the remaining payload' },
  'headers-on-stream-0': { section: '6.2', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'HEADERS frame on stream 0' },
  'priority-self-dependency': { section: '5.3.1', errorName: 'PROTOCOL_ERROR', scope: 'stream', summary: 'stream depends on itself' },
  'priority-on-stream-0': { section: '6.3', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'PRIORITY frame on stream 0' },
  'priority-length': { section: '6.3', errorName: 'FRAME_SIZE_ERROR', scope: 'stream', summary: 'PRIORITY frame length is not 5' },
  'rst-on-stream-0': { section: '6.4', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'RST_STREAM frame on stream 0' },
  'rst-stream-length': { section: '6.4', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'RST_STREAM frame length is not 4' },
  'settings-on-stream': { section: '6.5', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'SETTINGS frame on a stream other than 0' },
  'settings-ack-with-payload': { section: '6.5', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'SETTINGS ACK with a non-empty payload' },
  'settings-length': { section: '6.5', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'SETTINGS length is not a multiple of 6' },
  'settings-enable-push-value': { section: '6.5.2', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'SETTINGS_ENABLE_PUSH is neither 0 nor 1' },
  'settings-initial-window-too-large': { section: '6.5.2', errorName: 'FLOW_CONTROL_ERROR', scope: 'connection', summary: 'SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1' },
  'settings-max-frame-size-range': { section: '6.5.2', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'SETTINGS_MAX_FRAME_SIZE outside 2^14..2^24-1' },
  'push-promise-on-stream-0': { section: '6.6', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'PUSH_PROMISE frame on stream 0' },
  'ping-on-stream': { section: '6.7', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'PING frame on a stream other than 0' },
  'ping-length': { section: '6.7', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'PING frame length is not 8' },
  'goaway-on-stream': { section: '6.8', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'GOAWAY frame on a stream other than 0' },
  'goaway-length': { section: '6.8', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'GOAWAY frame shorter than 8 octets' },
  'window-update-length': { section: '6.9', errorName: 'FRAME_SIZE_ERROR', scope: 'connection', summary: 'WINDOW_UPDATE frame length is not 4' },
  'window-update-zero-increment': { section: '6.9', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'WINDOW_UPDATE increment of 0' },
  'continuation-on-stream-0': { section: '6.10', errorName: 'PROTOCOL_ERROR', scope: 'connection', summary: 'CONTINUATION frame on stream 0' },
} as const satisfies Record<string, FrameRuleInfo>;

export type FrameRule = keyof typeof FRAME_RULES;

export const FRAME_RULE_NAMES = Object.keys(FRAME_RULES) as readonly FrameRule[];
