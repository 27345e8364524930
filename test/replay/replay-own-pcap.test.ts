/**
 * Through the public library API (src/index.ts): a run written as pcap, read back, and replayed
 * with the run's own settings, closes at the instant the run did, for the same reason (issue 6).
 */
import { describe, expect, it } from 'vitest';
import {
  analyzeCapture,
  BUILTIN_SCENARIOS,
  parseScenario,
  renderPcap,
  replayCapture,
  replayInputFromConnection,
  runScenario,
  type PacketRecord,
} from '../../src/index.js';

/** Runs a built-in, writes it as a pcap captured at the server, and replays that for the server. */
function roundTrip(name: string, change: Record<string, unknown> = {}) {
  const scenario = parseScenario({ ...(BUILTIN_SCENARIOS[name] as object), ...change }, `builtin:${name}`);
  const packets: PacketRecord[] = [];
  const run = runScenario(scenario, { trace: false, onPacket: (p) => packets.push(p) });
  const { connections } = analyzeCapture(renderPcap(packets, { at: 'server' }));
  expect(connections).toHaveLength(1);
  const conn = connections[0];
  if (conn === undefined) throw new Error('no connection');
  const { input, skipped, stopped } = replayInputFromConnection(conn, 'server');
  expect(skipped).toEqual([]);
  expect(stopped).toEqual([]);
  // Replay time 0 is the capture's first packet: the SYN kpsim lays out 3 ms (three 1 ms steps)
  // before the run's time 0, whatever the link rates (pcap-export.ts).
  const offset = 3_000_000;
  const replay = replayCapture(input, { side: 'server', scenario });
  return { run, replay, offset };
}

describe('replaying a pcap kpsim wrote', () => {
  it.each([
    ['seed-flaw', {}],
    ['seed-flaw-loss', {}],
    ['gc-pause', {}],
  ])('%s: the server closes at the same instant, for the same reason', (name, change) => {
    const { run, replay, offset } = roundTrip(name, change);
    expect(run.outcome.closed).toBe(true);
    expect(run.outcome.closedBy).toBe('server');
    expect(replay.verdict.closed).toBe(true);
    if (!replay.verdict.closed) return;
    expect(replay.verdict.reason).toBe(run.outcome.reason);
    expect(replay.verdict.at - offset).toBe(run.outcome.closedAt);
  });

  it('seed-fix: neither the run nor the replay closes', () => {
    const { run, replay } = roundTrip('seed-fix');
    expect(run.outcome.closed).toBe(false);
    expect(replay.verdict.closed).toBe(false);
  });
});
