import { describe, expect, it } from 'vitest';
import { renderTextTimeline } from '../../src/report/text-timeline.js';
import { delayedAckRun, tooManyPingsRun } from './delayed-ack-run.js';
import { BUILTIN_SCENARIOS } from '../../src/scenario/builtins.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runScenario } from '../../src/sim/world.js';

const lineAt = (text: string, time: string, needle: string): string | undefined =>
  text.split('\n').find((l) => l.trimStart().startsWith(time) && l.includes(needle));

describe('renderTextTimeline', () => {
  const result = delayedAckRun();
  const text = renderTextTimeline(result);

  it('heads the timeline with the scenario, seed and effective keepalive settings of both sides', () => {
    expect(text).toMatch(/^scenario {2}delayed-ack\n {10}A keepalive PING ACK held 6 s against a 5 s Timeout\.\n/);
    expect(text).toContain('seed      1   horizon 3m0s');
    expect(text).toContain('server    grpc-go 1.83.1   Time 1m0s, Timeout 5s, MinTime 5m0s, PermitWithoutStream false, TCP_USER_TIMEOUT 5s');
    expect(text).toContain('client    grpc-go 1.83.1   Time off, Timeout 20s, PermitWithoutStream false');
    expect(text).toContain('faults    #1 keepalive PING_ACK #1 clientToServer held 6s');
  });

  it('on the TCP network also names each socket\'s kernel TCP keepalive (it can close connections too)', () => {
    const run = (client: Record<string, unknown>) =>
      renderTextTimeline(runScenario(parseScenario({ ...(BUILTIN_SCENARIOS['seed-flaw'] as object), client }, 'seed-flaw'), { trace: true }));
    const current = run({});
    expect(current).toContain('TCP_USER_TIMEOUT 5s, TCP keepalive idle 15s interval 15s probes 9\n');
    expect(current).toContain('client    grpc-go 1.83.1   Time off, Timeout 20s, PermitWithoutStream false, TCP keepalive idle 2h0m0s interval 1m15s probes 9\n');
    expect(run({ version: '1.59.0' })).toContain('client    grpc-go 1.59.0   Time off, Timeout 20s, PermitWithoutStream false, TCP keepalive idle 15s interval 15s probes 9\n');
    expect(run({ tcpKeepalive: 'off' })).toContain('PermitWithoutStream false, TCP keepalive off\n');
  });

  it('shows the kpTimer re-arm from lastRead, the PING, and the close at 65.030s with upstream variable names', () => {
    expect(text).toContain('state: kpTimer=60.010s lastRead=0.010s prevNano=0.010s outstandingPing=false kpTimeoutLeft=0s');
    const rearm = lineAt(text, '60.010s', 'kpTimer fired');
    expect(rearm).toContain('kpTimer 60.010s->60.030s  prevNano 0.010s->0.030s');
    const ping = lineAt(text, '60.030s', 'kpTimer fired');
    expect(ping).toContain('-> send PING (keepalive), arrives 60.040s');
    expect(ping).toContain('outstandingPing false->true');
    const held = lineAt(text, '60.040s', 'read PING (keepalive)');
    expect(held).toContain('-> send PING[ack] (keepalive), arrives 66.050s (fault #1:');
    const close = lineAt(text, '65.030s', 'server');
    expect(close).toMatch(/^\s*65\.030s\s+\+4\.990s\s+server\s+kpTimer fired\s+-> stream 1 fails: context canceled; -> close transport \(keepalive\): "keepalive ping not acked within timeout 5s"; -> FIN, arrives 65\.040s\s+kpTimer 65\.030s->none$/);
    expect(lineAt(text, '65.040s', 'client')).toContain('read EOF');
    expect(text).toMatch(/lastRead \d+\.\d{3}s->\d+\.\d{3}s/);
  });

  it('adds a why note from the table under the lines that need one', () => {
    const lines = text.split('\n');
    const after = (needle: string): string | undefined => lines[lines.findIndex((l) => l.includes(needle)) + 1];
    expect(after('prevNano 0.010s->0.030s')).toMatch(/^\s+why: read activity since last check: re-armed at lastRead\+Time$/);
    expect(after('outstandingPing false->true')).toMatch(/why: nothing read for Time: ping, wait Timeout$/);
    expect(after('close transport (keepalive)')).toMatch(/why: no frame read within Timeout of the PING: grpc-go closes without GOAWAY$/);
  });

  it('ends with a verdict in plain words', () => {
    const verdict = text.slice(text.indexOf('\nverdict\n'));
    expect(verdict).toContain('closed      the server closed the connection at 65.030s (virtual)');
    expect(verdict).toContain("the client's transport closed at 65.040s (eof: error reading from server: EOF)");
    expect(verdict).toContain('why         keepalive ping not acked within timeout 5s');
    expect(verdict).toContain('server app  1 stream(s) ended: the handler\'s stream context is done with "context canceled"');
    expect(verdict).toContain('client app  1 stream(s) failed (rpc error: code = Unavailable desc = error reading from server: EOF)');
    expect(verdict).toContain('sockets     server sent FIN, saw nothing from the peer; client sent FIN, saw FIN (reads return EOF)');
    expect(verdict).toMatch(/frames {6}server sent PING 2, SETTINGS 1, SETTINGS_ACK 1, WINDOW_UPDATE 1\n {21}read DATA 1, HEADERS 1, PING_ACK 1,/);
    expect(verdict).not.toContain("client's next connection");
  });

  it('says when and by which fault a delayed frame was held, on the line that reads it', () => {
    const survived = renderTextTimeline(delayedAckRun({ timeout: '90s' }));
    expect(lineAt(survived, '66.050s', 'server')).toContain(
      'read PING[ack] (keepalive) (sent 60.040s, held by fault #1 (keepalive PING_ACK #1 held 6s))',
    );
    expect(survived).toContain('open        the connection was still open at the horizon (3m0s); the last event was at 126.070s');
  });

  it("names the client's next keepalive Time after GOAWAY too_many_pings", () => {
    const eager = renderTextTimeline(tooManyPingsRun());
    expect(eager).toContain('why: PING sooner than MinTime after the last one (or with no stream): a ping strike');
    expect(eager).toContain('why         got too many pings from the client');
    expect(eager).toContain("next        the client's next connection will ping every 20s");
  });

  it('is deterministic, plain by default, and coloured only when asked', () => {
    expect(renderTextTimeline(delayedAckRun())).toBe(text);
    expect(text).not.toContain('\u001b[');
    expect(text.split('\n').every((l) => l === l.trimEnd())).toBe(true);
    const colored = renderTextTimeline(result, { color: true });
    expect(colored).toContain('\u001b[31m');
    expect(colored.replace(/\u001b\[\d+m/g, '').split('\n').map((l) => l.trimEnd())).toEqual(text.split('\n'));
  });
});
