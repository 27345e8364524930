/**
 * The kernel TCP keepalive each side's socket gets by default (`tcpKeepalive: "grpc-default"`): the
 * server's accepted sockets keep Go's listener default (15 s); the client's own dialer uses Go's
 * default before grpc-go v1.60.0 and SO_KEEPALIVE with the OS defaults since (grpc-go #6672).
 */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import { GO_DEFAULT_TCP_KEEPALIVE, OS_DEFAULT_TCP_KEEPALIVE, tcpKeepaliveOf } from '../../src/sim/build-network.js';
import type { PacketRecord } from '../../src/sim/packet-record.js';
import { runScenario } from '../../src/sim/world.js';
import { SECOND } from '../../src/time/units.js';

const withVersion = (client: string, extra: Record<string, unknown> = {}) =>
  parseScenario({ name: 't', server: { version: '1.83.1' }, client: { version: client, ...extra } }, 'test');

describe('tcpKeepaliveOf', () => {
  it('server: Go\'s 15 s whatever the version; client: Go\'s before 1.60.0, the OS defaults (2 h, 75 s, 9) from 1.60.0', () => {
    expect(tcpKeepaliveOf(withVersion('1.59.0'), 'server')).toEqual(GO_DEFAULT_TCP_KEEPALIVE);
    expect(tcpKeepaliveOf(withVersion('1.59.0'), 'client')).toEqual(GO_DEFAULT_TCP_KEEPALIVE);
    expect(tcpKeepaliveOf(withVersion('1.60.0'), 'client')).toEqual(OS_DEFAULT_TCP_KEEPALIVE);
    expect(tcpKeepaliveOf(withVersion('1.83.1'), 'client')).toEqual({ idle: 7200 * SECOND, interval: 75 * SECOND, count: 9 });
    expect(GO_DEFAULT_TCP_KEEPALIVE).toEqual({ idle: 15 * SECOND, interval: 15 * SECOND, count: 9 });
  });
  it('an explicit choice wins over the version', () => {
    expect(tcpKeepaliveOf(withVersion('1.83.1', { tcpKeepalive: 'go-default' }), 'client')).toEqual(GO_DEFAULT_TCP_KEEPALIVE);
    expect(tcpKeepaliveOf(withVersion('1.59.0', { tcpKeepalive: 'os-default' }), 'client')).toEqual(OS_DEFAULT_TCP_KEEPALIVE);
    expect(tcpKeepaliveOf(withVersion('1.59.0', { tcpKeepalive: 'off' }), 'client')).toBeUndefined();
  });
});

describe('on the wire', () => {
  const probes = (clientVersion: string): PacketRecord[] => {
    const input = BUILTIN_SCENARIOS['seed-flaw'] as Record<string, unknown>;
    const packets: PacketRecord[] = [];
    runScenario(parseScenario({ ...input, client: { version: clientVersion } }, 'seed-flaw'), { trace: false, onPacket: (p) => packets.push(p) });
    return packets.filter((p) => p.kind === 'keepalive');
  };
  it('seed-flaw: a v1.59 device probes after 15 s of quiet like the server; a v1.60+ device leaves it to the server', () => {
    const old = probes('1.59.0');
    const current = probes('1.83.1');
    expect(old.some((p) => p.from === 'client')).toBe(true);
    expect(current.some((p) => p.from === 'client')).toBe(false);
    expect(current.some((p) => p.from === 'server')).toBe(true);
  });
});
