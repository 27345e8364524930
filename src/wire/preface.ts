/** The client connection preface, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (RFC 9113 section 3.4). */
export const CLIENT_PREFACE: Uint8Array = new TextEncoder().encode('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

/** True when `bytes` (from `offset`) begin with the full 24-octet client preface. */
export const startsWithPreface = (bytes: Uint8Array, offset = 0): boolean => {
  if (bytes.length - offset < CLIENT_PREFACE.length) return false;
  return CLIENT_PREFACE.every((b, i) => bytes[offset + i] === b);
};
