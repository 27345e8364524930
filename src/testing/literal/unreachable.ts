/** Exhaustiveness check for the literal model's switches: a compile error if a case is missing. */
export function unreachable(x: never): never {
  throw new Error(`literal model: unhandled ${JSON.stringify(x)}`);
}
