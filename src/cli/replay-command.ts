import { InvalidArgumentError, Option, type Command } from 'commander';
import { analyzeCapture, CaptureError, type Http2Connection } from '../capture/capture.js';
import type { Actor } from '../conn/types.js';
import { replayInputFromConnection } from '../replay/from-capture.js';
import { replayCapture } from '../replay/replay.js';
import { renderReplayJson, renderReplayText } from '../report/replay-report.js';
import { applyOverrides, parseScenario } from '../scenario/load.js';
import { CAPTURE_FILE_LIMIT, emit, loadRawScenario, parseDurationFlag, readInput } from './cli-files.js';
import { collectSet } from './run-flags.js';
import { UsageError } from './usage-error.js';

type ReplayFlags = {
  readonly side?: Actor;
  readonly scenario?: string;
  readonly grpcGo?: string;
  readonly serverTime?: string;
  readonly serverTimeout?: string;
  readonly clientTime?: string;
  readonly clientTimeout?: string;
  readonly minTime?: string;
  readonly permitWithoutStream?: true;
  readonly set: readonly string[];
  readonly stream?: number;
  readonly matchWindow?: number;
  readonly ackDelay?: number;
  readonly json?: true;
  readonly out?: string;
  readonly clamp: boolean;
};

/**
 *   kpsim replay CAPTURE [--server-time 60s --server-timeout 5s ...] [--stream N] [--json]
 * Reads a pcap or pcapng capture, picks one HTTP/2 connection, and drives grpc-go's model of one
 * side with what the other side sent (src/replay/).
 */
export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('would grpc-go with these keepalive settings have cut this captured connection, and when?')
    .argument('<capture>', 'a pcap or pcapng file of cleartext HTTP/2 (gRPC) connections')
    .addOption(new Option('--side <side>', 'which side the model plays (default: server, or client when only client settings are given)').choices(['server', 'client']))
    .option('--scenario <builtin|file>', 'take the modelled side\'s version, keepalive and enforcement from this scenario')
    .option('--grpc-go <version>', 'grpc-go version of the modelled side, e.g. 1.62.0')
    .option('--server-time <duration>', 'ServerParameters.Time')
    .option('--server-timeout <duration>', 'ServerParameters.Timeout')
    .option('--client-time <duration>', 'ClientParameters.Time')
    .option('--client-timeout <duration>', 'ClientParameters.Timeout')
    .option('--min-time <duration>', 'EnforcementPolicy.MinTime of the server')
    .option('--permit-without-stream', 'EnforcementPolicy.PermitWithoutStream of the server')
    .option('--set <path=value>', 'override a scenario field, e.g. server.keepalive.maxConnectionIdle=5m (repeatable)', collectSet, [])
    .option('--stream <n>', 'which TCP connection of the capture (0-based, as Wireshark\'s tcp.stream); default: the only HTTP/2 one', parseIndex)
    .option('--match-window <duration>', 'a model PING this close to a real one borrows its round trip (default 1s)', parseDurationFlag)
    .option('--ack-delay <duration>', 'round trip for model PINGs with no real PING nearby (default: measured in the capture)', parseDurationFlag)
    .option('--no-clamp', 'do not raise keepalive Time to grpc-go\'s public-API floors (1s server, 10s client)')
    .option('--json', 'print the verdict as JSON')
    .option('--out <file>', 'write the output to FILE instead of stdout')
    .action((file: string, flags: ReplayFlags) => {
      const analysis = readCaptureFile(file);
      const conn = pickConnection(analysis.connections, flags.stream, file);
      const side: Actor = flags.side ?? (flags.clientTime !== undefined && flags.serverTime === undefined ? 'client' : 'server');
      const base = flags.scenario === undefined ? { raw: { name: 'replay' }, source: 'replay' } : loadRawScenario(flags.scenario);
      const sets = [
        ...(flags.grpcGo === undefined ? [] : [`server.version=${flags.grpcGo}`, `client.version=${flags.grpcGo}`]),
        ...(flags.serverTime === undefined ? [] : [`server.keepalive.time=${flags.serverTime}`]),
        ...(flags.serverTimeout === undefined ? [] : [`server.keepalive.timeout=${flags.serverTimeout}`]),
        ...(flags.clientTime === undefined ? [] : [`client.keepalive.time=${flags.clientTime}`]),
        ...(flags.clientTimeout === undefined ? [] : [`client.keepalive.timeout=${flags.clientTimeout}`]),
        ...(flags.minTime === undefined ? [] : [`server.enforcement.minTime=${flags.minTime}`]),
        ...(flags.permitWithoutStream === true ? ['server.enforcement.permitWithoutStream=true'] : []),
        ...flags.set,
      ];
      const scenario = parseScenario(applyOverrides(base.raw, sets), base.source);
      const conversion = replayInputFromConnection(conn, side);
      const result = replayCapture(conversion.input, {
        side,
        scenario,
        clamp: flags.clamp,
        tcp: conn,
        ...(flags.matchWindow === undefined ? {} : { matchWindow: flags.matchWindow }),
        ...(flags.ackDelay === undefined ? {} : { ackDelay: flags.ackDelay }),
      });
      const src = { file, connection: conn, connections: analysis.connections.length, conversion, startEpochNanos: analysis.file.startEpochNanos + BigInt(conn.startedAt) };
      emit(flags.json === true ? renderReplayJson(result, src) : renderReplayText(result, src), flags.out);
    });
}

function readCaptureFile(file: string): ReturnType<typeof analyzeCapture> {
  const bytes = new Uint8Array(readInput(file, CAPTURE_FILE_LIMIT, 'a capture'));
  try {
    return analyzeCapture(bytes);
  } catch (e) {
    if (e instanceof CaptureError) throw new UsageError(`${file}: not a capture kpsim can read: ${e.message}`);
    throw e;
  }
}

function pickConnection(all: readonly Http2Connection[], stream: number | undefined, file: string): Http2Connection {
  const list = all.map((c) => `${c.id} (${c.client.address}:${c.client.port} -> ${c.server.address}:${c.server.port}${c.protocol === 'http2' ? '' : ', not HTTP/2'})`).join(', ');
  if (stream !== undefined) {
    const c = all.find((x) => x.id === stream);
    if (c === undefined) throw new UsageError(`${file}: no TCP connection ${stream}; it has ${all.length === 0 ? 'none' : list}`);
    if (c.protocol !== 'http2') throw new UsageError(`${file}: connection ${stream} does not start with the HTTP/2 client preface (captured mid-stream, or not HTTP/2)`);
    return c;
  }
  const h2 = all.filter((c) => c.protocol === 'http2');
  if (h2.length === 1) return h2[0] as Http2Connection;
  if (h2.length === 0) throw new UsageError(`${file}: no HTTP/2 connection starting with the client preface${all.length === 0 ? ' (no TCP connections at all)' : `; TCP connections: ${list}`}`);
  throw new UsageError(`${file}: ${h2.length} HTTP/2 connections; pick one with --stream N: ${list}`);
}

function parseIndex(text: string): number {
  if (!/^\d+$/.test(text)) throw new InvalidArgumentError('expected a connection number (0, 1, ...).');
  return Number(text);
}
