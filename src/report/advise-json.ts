import { fleetKillsPerHour, type Advice } from '../sweep/advise.js';
import { cellJson } from './sweep-json.js';

/** `kpsim advise --json`. Deterministic: the same inputs give byte-identical output. */
export function adviseJson(a: Advice): Record<string, unknown> {
  const s = a.sweep;
  const fleet = a.constraints.fleet;
  const cell = (i: number | undefined): Record<string, unknown> | null => {
    const c = i === undefined ? undefined : s.cells[i];
    if (c === undefined) return null;
    return { ...cellJson(c), ...(fleet === undefined ? {} : { fleetFalseKillsPerHour: fleetKillsPerHour(c, fleet) }) };
  };
  const k = a.companions;
  const ms = (ns: number): number => ns / 1e6;
  return {
    scenario: s.scenario,
    side: s.grid.side,
    seed: s.options.seed,
    cycles: s.options.cycles,
    detectReplicas: s.options.detectReplicas,
    grid: { timeMs: s.grid.times.map(ms), timeoutMs: s.grid.timeouts.map(ms) },
    constraints: {
      maxFalseKills: a.constraints.maxFalseKills.text,
      maxFalseKillsPerConnectionDay: a.constraints.maxFalseKills.perConnectionDay,
      maxDetectMs: a.constraints.maxDetectMs ?? null,
      fleet: fleet ?? null,
    },
    settings: s.cells.length,
    feasible: a.feasible.length,
    confirmed: a.confirmed.length,
    recommended: cell(a.recommended),
    recommendedConfirmed: a.recommended === undefined ? null : a.cyclesToConfirm === undefined,
    cyclesToConfirm: a.cyclesToConfirm === undefined ? null : Number.isFinite(a.cyclesToConfirm) ? a.cyclesToConfirm : null,
    closest: cell(a.closest),
    apply:
      k === undefined
        ? null
        : {
            server: { timeMs: ms(k.server.time), timeoutMs: ms(k.server.timeout) },
            enforcement: { minTimeMs: ms(k.enforcement.minTime), permitWithoutStream: k.enforcement.permitWithoutStream },
            client: { timeMs: k.client.time === undefined ? null : ms(k.client.time), timeoutMs: ms(k.client.timeout), permitWithoutStream: k.client.permitWithoutStream },
            notes: k.notes,
          },
    current: a.current === undefined ? null : { ...cellJson(a.current), ...(fleet === undefined ? {} : { fleetFalseKillsPerHour: fleetKillsPerHour(a.current, fleet) }) },
    front: a.feasibleFront.map((i) => cell(i)),
  };
}
