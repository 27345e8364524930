/** Exhaustiveness check for switches over discriminated unions: a compile error if a case is missing. */
export function assertNever(x: never, what = 'case'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(x)}`);
}
