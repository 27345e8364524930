import type { CellFigures } from '../analysis/rates/types.js';
import { totalBytesPerHour, totalPingsPerHour, type SweepResult } from '../sweep/sweep-result.js';

/**
 * `kpsim sweep --json`: the run's parameters and one object per cell in grid order (Time-major).
 * Contains nothing that depends on the machine or the number of workers, so the same inputs give
 * byte-identical output.
 */
export function sweepJson(r: SweepResult): Record<string, unknown> {
  return {
    scenario: r.scenario,
    side: r.grid.side,
    seed: r.options.seed,
    cycles: r.options.cycles,
    detectReplicas: r.options.detectReplicas,
    grid: { timeMs: r.grid.times.map(ms), timeoutMs: r.grid.timeouts.map(ms) },
    cells: r.cells.map((c, i) => ({ ...cellJson(c), pareto: r.front.includes(i) })),
    front: r.front.map((i) => ({ index: i, timeMs: ms(r.cells[i]?.setting.time ?? 0), timeoutMs: ms(r.cells[i]?.setting.timeout ?? 0) })),
  };
}

/** One cell's figures as flat JSON fields (times in milliseconds). */
export function cellJson(c: CellFigures): Record<string, unknown> {
  return {
    timeMs: ms(c.setting.time),
    timeoutMs: ms(c.setting.timeout),
    falseKillsPerDay: c.falseKills.perDay,
    falseKillsPerDayCI: [c.falseKills.ci95[0], c.falseKills.ci95[1]],
    method: c.falseKills.method,
    kills: c.falseKills.kills,
    exposureDays: c.falseKills.exposureDays,
    detectMs: { p50: c.detection.p50Ms, p99: c.detection.p99Ms, max: c.detection.maxMs },
    undetected: c.detection.undetected,
    detectReplicas: c.detection.replicas,
    pingsPerHour: totalPingsPerHour(c),
    pingsPerHourBy: { serverToClient: c.cost.pingsPerHour.serverToClient, clientToServer: c.cost.pingsPerHour.clientToServer },
    bytesPerHour: totalBytesPerHour(c),
    bytesPerHourBy: { serverToClient: c.cost.bytesPerHour.serverToClient, clientToServer: c.cost.bytesPerHour.clientToServer },
    mechanisms: { falseKills: { ...c.falseKills.by }, detection: { ...c.detection.by } },
  };
}

function ms(ns: number): number {
  return ns / 1e6;
}
