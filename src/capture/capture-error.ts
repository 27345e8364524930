/**
 * A capture file that cannot be read: `rule` names what is wrong, `offset` is the byte offset in
 * the file where it was found. Malformed *packets* inside a well-formed file are not errors: they
 * are reported per packet (see PacketProblem) and the rest of the capture is still read.
 */
export const CAPTURE_RULES = {
  'unknown-format': 'not a libpcap or pcapng file (unknown magic number)',
  'pcap-header-truncated': 'file ends inside the 24-byte libpcap file header',
  'pcap-version': 'libpcap major version is not 2',
  'pcap-record-truncated': 'file ends inside a libpcap record header or its packet data',
  'pcapng-block-truncated': 'file ends inside a pcapng block',
  'pcapng-block-length': 'pcapng block total length is below 12, not a multiple of 4, or past the end of the file',
  'pcapng-trailing-length': 'pcapng block trailing total length differs from the leading one',
  'pcapng-byte-order-magic': 'Section Header Block byte-order magic is neither 0x1A2B3C4D nor its byte swap',
  'pcapng-version': 'pcapng major version is not 1',
  'pcapng-block-body': 'pcapng block body is shorter than its fixed fields and packet data',
  'pcapng-option': 'pcapng option runs past the end of its block, or has the wrong length',
  'pcapng-unknown-interface': 'packet block names an interface not described by an Interface Description Block in its section',
  'pcapng-tsresol': 'if_tsresol exponent is too large to represent',
  'timestamp-range': 'packet timestamp is more than 2^53 ns (about 104 days) from the first packet',
} as const;

export type CaptureRule = keyof typeof CAPTURE_RULES;

export class CaptureError extends Error {
  readonly rule: CaptureRule;
  /** Byte offset in the capture file. */
  readonly offset: number;

  constructor(rule: CaptureRule, offset: number, detail?: string) {
    super(`${rule} at byte ${offset}: ${CAPTURE_RULES[rule]}${detail === undefined ? '' : ` (${detail})`}`);
    this.name = 'CaptureError';
    this.rule = rule;
    this.offset = offset;
  }
}
