/**
 * kpsim against real grpc-go v1.60.1. Each case in test/fixtures/real-grpc-go-1.60.1/ holds the
 * log of one real run (a grpc-go server and client on loopback, with a proxy between them that logs
 * every PING and GOAWAY and can hold the nth keepalive PING ACK; docs/validation.md says how it was
 * made) and the kpsim scenario of the same setup. The test runs the scenario and checks it against
 * the log: the same PINGs and GOAWAYs in the same directions, at the same times within the real
 * run's scheduling noise, the connection's end at the same time, and the exact error each side's
 * RPC got.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PING_PAYLOAD_BYTES } from '../../src/frames/frame.js';
import type { Frame } from '../../src/frames/frame.js';
import { run, sentFrames } from '../support/run.js';

const DIR = new URL('../fixtures/real-grpc-go-1.60.1/', import.meta.url);
/** Real timers fire a few ms late on this shared machine; loopback and the proxy add well under 1 ms. */
const TOLERANCE_MS = 50;

type Case = { harness: string; align: 'start' | 'first-goaway'; scenario: Record<string, unknown> & { name: string } };
type Seen = { atMs: number; what: string };

/** PING and GOAWAY frames the proxy logged, as "c->s PING keepalive", "s->c GOAWAY 2147483647 NO_ERROR max_age", ... */
function realFrames(log: string): Seen[] {
  const out: Seen[] = [];
  const payloadName = new Map(Object.entries(PING_PAYLOAD_BYTES).map(([k, v]) => [Buffer.from(v).toString('hex'), k]));
  for (const line of log.split('\n')) {
    const m = /^\s*(\d+\.\d+) proxy (c->s|s->c): (.*)$/.exec(line);
    if (m === null) continue;
    const [, t, dir, rest] = m as unknown as [string, string, string, string];
    const ping = /^PING ack=(true|false) data=([0-9a-f]{16})$/.exec(rest);
    const goaway = /^GOAWAY last=(\d+) code=(\d+) debug="(.*)"$/.exec(rest);
    if (ping !== null) out.push({ atMs: Number(t) * 1000, what: `${dir} PING${ping[1] === 'true' ? '[ack]' : ''} ${payloadName.get(ping[2] as string) ?? ping[2]}` });
    else if (goaway !== null) out.push({ atMs: Number(t) * 1000, what: `${dir} GOAWAY ${goaway[1]} ${CODES[Number(goaway[2])]} ${goaway[3]}` });
  }
  return out;
}
const CODES: Record<number, string> = { 0: 'NO_ERROR', 2: 'INTERNAL_ERROR', 11: 'ENHANCE_YOUR_CALM' };

function modelFrames(frames: { at: number; actor: string; frame: Frame }[]): Seen[] {
  const out: Seen[] = [];
  for (const { at, actor, frame: f } of frames) {
    const dir = actor === 'client' ? 'c->s' : 's->c';
    if (f.type === 'PING') out.push({ atMs: at / 1e6, what: `${dir} PING${f.ack ? '[ack]' : ''} ${f.payload}` });
    else if (f.type === 'GOAWAY') out.push({ atMs: at / 1e6, what: `${dir} GOAWAY ${f.lastStreamId} ${f.code} ${f.debugData}` });
  }
  return out;
}

/** Time of the first line matching `re`, in ms. */
function realAt(log: string, re: RegExp): number | undefined {
  for (const line of log.split('\n')) {
    const m = /^\s*(\d+\.\d+) (.*)$/.exec(line);
    if (m !== null && re.test(m[2] as string)) return Number(m[1]) * 1000;
  }
  return undefined;
}
/** The text after `prefix` on its first line, skipping "<nil>" (the harness's client logs a message received that way). */
const realText = (log: string, prefix: string): string | undefined =>
  log
    .split('\n')
    .map((l) => /^\s*\d+\.\d+ (.*)$/.exec(l)?.[1])
    .find((l) => l?.startsWith(prefix) === true && l !== `${prefix}<nil>`)
    ?.slice(prefix.length);

const names = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();

describe('kpsim against real grpc-go v1.60.1 runs', () => {
  it('has the recorded cases', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of names) {
    it(name, () => {
      const c = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as Case;
      const log = readFileSync(new URL(`${name}.log`, DIR), 'utf8');
      // The harness used grpc-go's public API, so its floors apply (the default).
      const r = run(c.scenario as Parameters<typeof run>[0]);
      // Frames compare per direction: within one the order is the byte stream's, across the two
      // only the times mean anything (the proxy logs each direction from its own goroutine).
      const byDirection = (xs: Seen[]): Seen[] => [...xs.filter((x) => x.what.startsWith('c->s')), ...xs.filter((x) => x.what.startsWith('s->c'))];
      const real = byDirection(realFrames(log));
      const model = byDirection(modelFrames(sentFrames(r)));
      expect(model.map((x) => x.what)).toEqual(real.map((x) => x.what));
      // Times count from the start, except that with a jittered MaxConnectionAge the two runs'
      // ages differ: from the first GOAWAY on, they count from it.
      const goAwayAt = (xs: Seen[]): number => xs.find((x) => x.what.includes('GOAWAY'))?.atMs ?? Number.POSITIVE_INFINITY;
      const [rg, mg] = [goAwayAt(real), goAwayAt(model)];
      const since = (t: number, g: number): number => (c.align === 'first-goaway' && t >= g ? t - g : t);
      model.forEach((m, i) => {
        const realAtMs = (real[i] as Seen).atMs;
        expect(Math.abs(since(m.atMs, mg) - since(realAtMs, rg)), `${m.what}: kpsim ${m.atMs} ms, real ${realAtMs} ms`).toBeLessThan(TOLERANCE_MS);
      });

      const realEnd = realAt(log, /^(server|client) conn end$/);
      expect(r.outcome.closed).toBe(realEnd !== undefined);
      if (realEnd !== undefined) expect(Math.abs(since((r.outcome.closedAt as number) / 1e6, mg) - since(realEnd, rg))).toBeLessThan(TOLERANCE_MS);

      const clientErr = realText(log, 'client Recv: ');
      expect(r.outcome.client.failedStreams[0]?.error).toBe(clientErr);
      const serverErr = realText(log, 'server Recv: ');
      const modelServerErr = r.outcome.server.failedStreams[0]?.error;
      if (serverErr === undefined) expect(modelServerErr).toBeUndefined();
      else expect(serverErr).toBe(`rpc error: code = Canceled desc = ${modelServerErr}`);
    });
  }
});
