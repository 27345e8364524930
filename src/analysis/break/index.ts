/** `break`: the exact size at which a fault family starts to kill a live connection. */
export { findBreakThreshold, type BreakFound, type BreakNotFound, type BreakProbe, type BreakResult, type BreakSearchOptions } from './search.js';
export { FAULT_FAMILIES, FAMILIES, type FaultFamily, type FamilySpec } from './families.js';
export { closedFormThreshold, type ClosedForm } from './closed-forms.js';
export { findBreakAnchor, type BreakAnchor } from './anchor.js';
export { isServerKill } from './kill.js';
export { BreakError } from './break-error.js';

