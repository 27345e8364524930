/**
 * Optional ANSI styling for the text timeline. With `color: false` every function is the
 * identity, so plain output is byte-for-byte what the layout produced.
 */
export type Paint = {
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
  readonly magenta: (s: string) => string;
  readonly green: (s: string) => string;
};

const wrap =
  (open: number, close: number) =>
  (s: string): string =>
    s === '' ? s : `\u001b[${open}m${s}\u001b[${close}m`;

const COLORED: Paint = {
  dim: wrap(2, 22),
  bold: wrap(1, 22),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  magenta: wrap(35, 39),
  green: wrap(32, 39),
};

const identity = (s: string): string => s;
const PLAIN: Paint = { dim: identity, bold: identity, red: identity, yellow: identity, cyan: identity, magenta: identity, green: identity };

export function createPaint(color: boolean): Paint {
  return color ? COLORED : PLAIN;
}
