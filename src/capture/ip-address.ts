/** Text forms of IP addresses: dotted quad, and RFC 5952 compressed IPv6. */

export const formatIpv4 = (b: Uint8Array, at: number): string =>
  `${b[at] ?? 0}.${b[at + 1] ?? 0}.${b[at + 2] ?? 0}.${b[at + 3] ?? 0}`;

/** RFC 5952: lower-case hex, leading zeros dropped, the longest run (2+) of zero groups as "::". */
export const formatIpv6 = (b: Uint8Array, at: number): string => {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[at + 2 * i] ?? 0) << 8) | (b[at + 2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (gs: number[]): string => gs.map((g) => g.toString(16)).join(':');
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
};

/** Parses a dotted-quad IPv4 address; RangeError when it is not one. */
export const parseIpv4 = (text: string): Uint8Array => {
  const parts = text.split('.');
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255))) {
    throw new RangeError(`not an IPv4 address: ${JSON.stringify(text)}`);
  }
  return Uint8Array.from(octets);
};
