import { z } from 'zod';
import { DurationSyntaxError, formatDuration, parseDuration } from '../time/duration.js';
import type { Nanos } from '../time/units.js';
import { DEFAULT_GRPC_GO_VERSION, parseGrpcGoVersion, VersionError } from '../keepalive/versions.js';
import { DEFAULT_LINUX_VERSION, LinuxVersionError, parseLinuxVersion } from '../transport/linux/kernel-version.js';

export { DEFAULT_GRPC_GO_VERSION };
import { describeValue } from './errors.js';

/**
 * Field schemas shared by the scenario schema: durations written as Go duration strings and parsed
 * to integer nanoseconds, and grpc-go version strings.
 */

const DURATION_HINT = 'expected a Go duration such as "5s" or "1m30s"';

/**
 * The accepted syntax as a regular expression, for the JSON Schema only (editors flag typos as you
 * type). Validation itself is `parseDuration`, whose messages say what is wrong.
 */
export const DURATION_PATTERN = '^\\s*(0|\\+?((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h))+)\\s*$';

/**
 * A Go duration string (`"5s"`, `"1m30s"`, `"250ms"`, `"0"`), parsed with `parseDuration` to
 * integer nanoseconds. Negative and unparsable durations are rejected.
 */
export function durationField() {
  return z
    .string({
      error: (issue) => {
        if (issue.code !== 'invalid_type') return undefined;
        return issue.input === undefined ? 'required field is missing' : `expected a duration string, got ${describeValue(issue.input)}`;
      },
    })
    .meta({ pattern: DURATION_PATTERN, examples: ['30s', '1m30s', '250ms'] })
    .transform((text, ctx): Nanos => {
      try {
        return parseDuration(text);
      } catch (e) {
        if (!(e instanceof DurationSyntaxError)) throw e;
        ctx.issues.push({ code: 'custom', message: `${DURATION_HINT}: ${e.message}`, input: text });
        return z.NEVER;
      }
    });
}

/** A duration that must be greater than zero (periods: a zero period would never advance). */
export function positiveDurationField() {
  return durationField().refine((ns) => ns > 0, {
    error: (issue) => `expected a duration greater than 0, got ${formatDuration(issue.input as Nanos)}`,
  });
}

/** A duration no longer than `max` (`what` names the limit in the message). */
export function boundedDurationField(max: Nanos, what: string) {
  return durationField().refine((ns) => ns <= max, {
    error: (issue) => `expected at most ${formatDuration(max)} (${what}), got ${formatDuration(issue.input as Nanos)}`,
  });
}

const VERSION_PATTERN = /^v?1\.\d+\.\d+$/;

/** A grpc-go release, `"1.83.1"` or `"v1.83.1"`; parsed to the form without the `v`. */
export function versionField() {
  return z
    .string()
    .regex(VERSION_PATTERN, {
      error: (issue) => `expected a grpc-go version such as "${DEFAULT_GRPC_GO_VERSION}" or "v${DEFAULT_GRPC_GO_VERSION}", got ${describeValue(issue.input)}`,
    })
    .transform((v, ctx) => {
      try {
        return parseGrpcGoVersion(v).text;
      } catch (e) {
        if (!(e instanceof VersionError)) throw e;
        ctx.issues.push({ code: 'custom', message: e.message, input: v });
        return z.NEVER;
      }
    });
}

/** A Linux release, `"6.12"` or `"6.1.119"`; parsed to `major.minor`. */
export function linuxVersionField() {
  return z
    .string({ error: (issue) => (issue.code === 'invalid_type' ? `expected a Linux version string such as "${DEFAULT_LINUX_VERSION}", got ${describeValue(issue.input)}` : undefined) })
    .transform((v, ctx) => {
      try {
        return parseLinuxVersion(v).text;
      } catch (e) {
        if (!(e instanceof LinuxVersionError)) throw e;
        ctx.issues.push({ code: 'custom', message: e.message, input: v });
        return z.NEVER;
      }
    });
}

/** A byte count: an integer >= 0. */
export function byteCountField() {
  return z.int().min(0);
}
