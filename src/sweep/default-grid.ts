/**
 * The grid `kpsim advise` (and `kpsim sweep`, for an axis left out) evaluates by default: 12 x 12
 * settings on log steps, Time from 10 s (grpc-go's floor for a client) to 10 minutes, Timeout
 * from 1 s to 2 minutes. Spans the seed incident's Time 60s / Timeout 5s and its fix 30s / 90s.
 */
export const DEFAULT_TIME_AXIS = '10s..10m/12log';
export const DEFAULT_TIMEOUT_AXIS = '1s..2m/12log';
