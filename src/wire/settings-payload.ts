import { FrameError } from './frame-error.js';
import type { Setting, SettingsFrame } from './wire-frame.js';

/** Setting identifiers whose values section 6.5.2 constrains. */
export const SETTINGS_IDS = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

/** Checks one parameter against section 6.5.2; unknown identifiers pass (they are ignored). */
const checkSetting = (s: Setting): void => {
  if (s.id === SETTINGS_IDS.ENABLE_PUSH && s.value > 1) {
    throw new FrameError('settings-enable-push-value', { streamId: 0, detail: `value ${s.value}` });
  }
  if (s.id === SETTINGS_IDS.INITIAL_WINDOW_SIZE && s.value > 0x7fff_ffff) {
    throw new FrameError('settings-initial-window-too-large', { streamId: 0, detail: `value ${s.value}` });
  }
  if (s.id === SETTINGS_IDS.MAX_FRAME_SIZE && (s.value < 0x4000 || s.value > 0xff_ffff)) {
    throw new FrameError('settings-max-frame-size-range', { streamId: 0, detail: `value ${s.value}` });
  }
};

/** Decodes a SETTINGS payload (section 6.5) received on stream 0. */
export const decodeSettings = (ack: boolean, view: DataView): SettingsFrame => {
  if (ack && view.byteLength !== 0) {
    throw new FrameError('settings-ack-with-payload', { streamId: 0, detail: `length ${view.byteLength}` });
  }
  if (view.byteLength % 6 !== 0) {
    throw new FrameError('settings-length', { streamId: 0, detail: `length ${view.byteLength}` });
  }
  const settings: Setting[] = [];
  for (let at = 0; at < view.byteLength; at += 6) {
    const s = { id: view.getUint16(at), value: view.getUint32(at + 2) };
    checkSetting(s);
    settings.push(s);
  }
  return { type: 'SETTINGS', ack, settings };
};
