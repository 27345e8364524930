/**
 * Linux kernel releases and the TCP behaviours that differ between them. Each boundary was read
 * in the kernel's own source (Debian's linux-source-6.1 = 6.1.192 and linux-source-6.12 =
 * 6.12.118, net/ipv4/tcp_*.c) and, for the newer one, checked against a real 6.18 kernel by the
 * oracle (oracle/kernel, docs/transport.md). A release is modelled by the first boundary at or
 * below it.
 */
export type LinuxVersion = { readonly major: number; readonly minor: number; readonly text: string };

export const DEFAULT_LINUX_VERSION = '6.12';
/** Oldest release whose TCP code was read for this model. */
export const OLDEST_MODELLED_LINUX = { major: 6, minor: 1 } as const;

export class LinuxVersionError extends Error {
  override readonly name = 'LinuxVersionError';
}

export function parseLinuxVersion(text: string): LinuxVersion {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (m === null) throw new LinuxVersionError(`"${text}" is not a Linux release (expected e.g. "6.12" or "6.1.119")`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major < OLDEST_MODELLED_LINUX.major || (major === OLDEST_MODELLED_LINUX.major && minor < OLDEST_MODELLED_LINUX.minor)) {
    throw new LinuxVersionError(`Linux ${text} is older than the oldest modelled release ${OLDEST_MODELLED_LINUX.major}.${OLDEST_MODELLED_LINUX.minor}`);
  }
  return { major, minor, text: `${major}.${minor}` };
}

export type LinuxTcpFeatures = {
  readonly version: LinuxVersion;
  /**
   * tcp_cwnd_test lets a lone FIN (one segment, nothing else queued before it) out whatever the
   * congestion window: before 6.10. Eric Dumazet's "tcp: remove dubious FIN exception from
   * tcp_cwnd_test()" (net-next, April 2024) removed it, so since 6.10 a FIN queued behind an
   * unacknowledged retransmission (cwnd 1 in the Loss state) waits for its ACK.
   */
  readonly finIgnoresCwnd: boolean;
};

export function linuxFeaturesOf(v: LinuxVersion): LinuxTcpFeatures {
  const atLeast = (major: number, minor: number): boolean => v.major > major || (v.major === major && v.minor >= minor);
  return { version: v, finIgnoresCwnd: !atLeast(6, 10) };
}

/**
 * CONFIG_HZ values: Debian and Ubuntu generic kernels 250, RHEL and Fedora 1000, small systems
 * 100. (300, which some Android builds use, is left out: its 3.33 ms tick is not a whole number
 * of nanoseconds.)
 */
export const KERNEL_HZ = [100, 250, 1000] as const;
export type KernelHz = (typeof KERNEL_HZ)[number];
export const DEFAULT_KERNEL_HZ: KernelHz = 250;
