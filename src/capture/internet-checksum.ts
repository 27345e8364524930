/** The Internet checksum (RFC 1071): ones' complement of the ones' complement sum of 16-bit words. */

/** Adds `bytes` to a running 32-bit sum as big-endian 16-bit words (an odd last byte is padded with 0). */
export const sumWords = (bytes: Uint8Array, sum = 0): number => {
  let s = sum;
  for (let i = 0; i + 1 < bytes.length; i += 2) s += ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0);
  if (bytes.length % 2 === 1) s += (bytes[bytes.length - 1] ?? 0) << 8;
  return s;
};

/** Folds the carries of a sum and complements it. */
export const finishChecksum = (sum: number): number => {
  let s = sum;
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return ~s & 0xffff;
};

export const internetChecksum = (bytes: Uint8Array): number => finishChecksum(sumWords(bytes));
