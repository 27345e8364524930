import type { Actor } from '../../src/conn/types.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { formatDuration } from '../../src/time/duration.js';
import type { KernelCase } from './case.js';
import { modelRun } from './model-run.js';
import type { HarnessEvent, KernelRun } from './run-case.js';
import { firstFrames, modelWireEvents, realWireEvents, type WireEvent } from './wire-events.js';

/**
 * How a real run and kpsim's run of the same case are compared, point by point.
 *
 * On the wire, per direction, in order: the first transmission of each frame (its kind and
 * when), every retransmission (when, and which frames it carries), each FIN and RST, each TCP
 * keepalive probe. At the application: when each side's transport ended, the error the client's
 * RPC got and the server handler's, each socket error with its errno (strace), how many
 * messages the client sent that the server never read, and grpc-go's keepalive clamp warnings.
 *
 * kpsim runs with the run's application timing as input (model-run.ts): its own prediction of
 * each side's first keepalive PING, before that, is a point of its own.
 *
 * Window: from the connect until the case's end or, when both applications have closed by then,
 * until that close (kpsim's run ends there; the kernels' later traffic reaches no application).
 *
 * Tolerance: TIME_TOLERANCE for every time. Kernel timers are modelled to the tick, on the run's
 * own tick grid (its jiffies at the connect), and the run's application timing is kpsim's input
 * (model-run.ts), so kernel events agree within a few ms. What remains is user-space latency on
 * this shared 2-core machine that no input captures: the later Go timers and goroutine wake-ups
 * of a run (1-5 ms each, up to 14 ms seen with every case running side by side), the harness's
 * own logging, and the 1 ms resolution of the TCP timestamps kpsim's RTT samples use.
 */
export const TIME_TOLERANCE = 25e6;

export type Finding = { readonly what: string; readonly real: string; readonly model: string; readonly ok: boolean };

export type Comparison = {
  readonly findings: readonly Finding[];
  readonly ok: boolean;
  /** Largest time difference among the points compared, ns. */
  readonly maxSkew: number;
};

const fmtT = (ns: number | undefined): string => (ns === undefined ? 'none' : `${(ns / 1e9).toFixed(4)}s`);

/** Retransmissions, with the set of frames each carries. */
function retransmissions(events: readonly WireEvent[]): { frames: string; t: number }[] {
  return events.filter((e) => (e.kind === 'data' || e.kind === 'fin') && e.retransmission).map((e) => ({ frames: [...new Set(e.frames.split('+'))].sort().join('+') + (e.fin || e.kind === 'fin' ? '+FIN' : ''), t: e.t }));
}

function controls(events: readonly WireEvent[], kind: 'fin' | 'rst' | 'probe'): number[] {
  return events.filter((e) => (kind === 'fin' ? (e.kind === 'fin' || e.fin) && !e.retransmission : e.kind === kind)).map((e) => e.t);
}

function firstEvent(events: readonly HarnessEvent[], side: Actor, ev: string): HarnessEvent | undefined {
  return events.find((e) => e.side === side && e.ev === ev);
}

export function compareRun(c: KernelCase, run: KernelRun, tweak?: (sc: ScenarioInput) => ScenarioInput): Comparison {
  const model = modelRun(c, run, tweak);
  const o = model.result.outcome;
  const findings: Finding[] = [];
  let maxSkew = 0;
  const within = (a: number, b: number): boolean => {
    maxSkew = Math.max(maxSkew, Math.abs(a - b));
    return Math.abs(a - b) <= TIME_TOLERANCE;
  };
  for (const side of ['server', 'client'] as Actor[]) {
    const p = model.predictedPing[side];
    if (p.real === undefined && p.model === undefined) continue;
    const ok = p.real !== undefined && p.model !== undefined && within(p.real, p.model);
    findings.push({ what: `${side}: first keepalive PING, as kpsim predicts it (no timer lateness)`, real: fmtT(p.real), model: fmtT(p.model), ok });
  }
  const horizon = model.result.scenario.horizon;
  const realEnd: Record<Actor, number | undefined> = { server: firstEvent(run.events, 'server', 'conn-end')?.t, client: firstEvent(run.events, 'client', 'conn-end')?.t };
  const modelEnd: Record<Actor, number | undefined> = { server: o.server.closedAt, client: o.client.closedAt };
  const bothClosed = (r: Record<Actor, number | undefined>): number | undefined => (r.server !== undefined && r.client !== undefined ? Math.max(r.server, r.client) : undefined);
  const realWindow = Math.min(horizon, (bothClosed(realEnd) ?? horizon) + 2e6);
  const modelWindow = Math.min(horizon, (bothClosed(modelEnd) ?? horizon) + 2e6);

  for (const side of ['client', 'server'] as Actor[]) {
    const real = realWireEvents(run, side).filter((e) => e.t <= realWindow);
    const mod = modelWireEvents(model.packets, side).filter((e) => e.t <= modelWindow);
    const seq = <T extends { t: number }>(what: string, a: readonly T[], b: readonly T[], key: (x: T) => string, untimed: (x: T, i: number) => boolean = () => false): void => {
      const n = Math.max(a.length, b.length);
      if (a.length !== b.length) findings.push({ what: `${side}: ${what}: how many`, real: String(a.length), model: String(b.length), ok: false });
      for (let i = 0; i < n; i++) {
        const x = a[i];
        const y = b[i];
        if (x === undefined || y === undefined) {
          findings.push({ what: `${side}: ${what} #${i + 1}`, real: x === undefined ? 'none' : `${key(x)} at ${fmtT(x.t)}`, model: y === undefined ? 'none' : `${key(y)} at ${fmtT(y.t)}`, ok: false });
          continue;
        }
        const timed = !untimed(x, i);
        const ok = key(x) === key(y) && (!timed || within(x.t, y.t));
        findings.push({ what: `${side}: ${what} #${i + 1}${timed ? '' : ' (kind only)'}`, real: `${key(x)} at ${fmtT(x.t)}`, model: `${key(y)} at ${fmtT(y.t)}`, ok });
      }
    };
    // The connection preface (each side's SETTINGS and its ACK of the peer's) goes out when the
    // processes get to it after the connect, 5-25 ms later on this machine, where kpsim sends it
    // at the connect: user space, no kernel in it. Its order is checked, not its time.
    const preface = (f: { label: string }, i: number): boolean => i < 2 && (f.label === 'SETTINGS' || f.label === 'SETTINGS_ACK');
    seq('sends', firstFrames(real), firstFrames(mod), (f) => f.label, preface);
    seq('retransmits', retransmissions(real), retransmissions(mod), (f) => f.frames);
    const ctl = (kind: 'fin' | 'rst' | 'probe'): void =>
      seq(
        kind === 'probe' ? 'TCP keepalive probe' : kind.toUpperCase(),
        controls(real, kind).map((t) => ({ t })),
        controls(mod, kind).map((t) => ({ t })),
        () => kind,
      );
    ctl('fin');
    ctl('rst');
    ctl('probe');
  }

  // The applications.
  for (const side of ['server', 'client'] as Actor[]) {
    const r = realEnd[side] !== undefined && (realEnd[side] as number) <= horizon ? realEnd[side] : undefined;
    const m = modelEnd[side];
    findings.push({ what: `${side}: transport ends`, real: fmtT(r), model: fmtT(m), ok: r === undefined ? m === undefined : m !== undefined && within(r, m) });
  }
  const realClientErr = firstEvent(run.events, 'client', 'recv-error');
  const realClientText = realClientErr !== undefined && realClientErr.t <= horizon ? String(realClientErr['error']) : 'none';
  const modelClientText = o.client.failedStreams[0]?.error ?? 'none';
  findings.push({ what: 'client: the RPC error', real: realClientText, model: modelClientText, ok: realClientText === modelClientText });
  const realCtx = firstEvent(run.events, 'server', 'handler-ctx');
  const realCtxText = realCtx !== undefined && realCtx.t <= horizon ? String(realCtx['error']) : 'none';
  const modelCtxText = o.server.failedStreams[0]?.error ?? 'none';
  findings.push({ what: "server: the handler's context", real: realCtxText, model: modelCtxText, ok: realCtxText === modelCtxText });
  for (const side of ['server', 'client'] as Actor[]) {
    const fd = firstEvent(run.events, side, side === 'client' ? 'dialed' : 'accept')?.['fd'];
    const errs = run.events.filter((e) => e.side === side && e.ev === 'syscall-error' && e['fd'] === fd && e.t <= Math.min(horizon, (realEnd[side] ?? horizon) + 5e6));
    const realErr = errs[0] === undefined ? 'none' : String(errs[0]['errno']);
    const so = o[side];
    const modelErr = so.kernelAbort !== undefined ? 'ETIMEDOUT' : so.socketSaw === 'RST' ? 'ECONNRESET' : 'none';
    findings.push({ what: `${side}: socket error`, real: realErr, model: modelErr, ok: realErr === modelErr });
  }
  const sent = run.events.filter((e) => e.side === 'client' && e.ev === 'send' && e['error'] === null && e.t <= horizon).length;
  const recv = run.events.filter((e) => e.side === 'server' && e.ev === 'recv' && e.t <= horizon).length;
  const modelSent = o.framesSent.client['DATA'] ?? 0;
  const modelRecv = o.framesRead.server['DATA'] ?? 0;
  findings.push({ what: 'client messages Send returned nil for but the server never read', real: String(sent - recv), model: String(modelSent - modelRecv), ok: sent - recv === modelSent - modelRecv });
  for (const side of ['server', 'client'] as Actor[]) {
    // grpclog's line is "WARNING: <date> <time> [core] <message>" (the harness logs every severity).
    const real = run.events.filter((e) => e.side === side && e.ev === 'grpclog' && e['sev'] === 'warning' && String(e['msg']).includes('Adjusting keepalive')).map((e) => String(e['msg']).replace(/^.*\] /, '').trim());
    const w = (side === 'server' ? model.result.serverConfig : model.result.clientConfig).clamped;
    const mod = w === undefined ? [] : [w.log];
    findings.push({ what: `${side}: grpc-go keepalive clamp warning`, real: real.join(' / ') || 'none', model: mod.join(' / ') || 'none', ok: real.join('\n') === mod.join('\n') });
  }
  return { findings, ok: findings.every((f) => f.ok), maxSkew };
}

/** The comparison as lines a person reads: the points that disagree first. */
export function renderComparison(c: KernelCase, cmp: Comparison): string {
  const lines = [`${c.name}: ${cmp.ok ? 'agrees' : 'DISAGREES'} (${cmp.findings.filter((f) => f.ok).length}/${cmp.findings.length} points, largest time difference ${formatDuration(Math.round(cmp.maxSkew))})`];
  for (const f of [...cmp.findings].sort((a, b) => Number(a.ok) - Number(b.ok))) lines.push(`  ${f.ok ? 'ok  ' : 'FAIL'} ${f.what}: real ${f.real} | kpsim ${f.model}`);
  return lines.join('\n');
}
