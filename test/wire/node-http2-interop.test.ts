/**
 * The writer's octets parsed by Node's own HTTP/2 implementation (nghttp2): a raw socket speaks
 * for one side, a real node:http2 peer for the other, over loopback. Node checks the preface,
 * frame layout, HPACK (including the dynamic table across requests) and CONTINUATION sequencing.
 */
import { once } from 'node:events';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/frames/frame.js';
import { createWireReader, createWireWriter, simFrames } from '../../src/wire/grpc-wire.js';

const concat = (parts: readonly Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

describe('node:http2 accepts what the client writer sends', () => {
  it('two requests with messages: headers (second from the dynamic table), DATA, END_STREAM', { timeout: 10_000 }, async () => {
    const server = http2.createServer();
    const seen: { headers: http2.IncomingHttpHeaders; body: Buffer }[] = [];
    const done = new Promise<void>((resolve) => {
      server.on('stream', (stream, headers) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          seen.push({ headers, body: Buffer.concat(chunks) });
          stream.respond({ ':status': 200 });
          stream.end();
          if (seen.length === 2) resolve();
        });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    const w = createWireWriter('client', { version: '1.62.0', authority: 'example.test:443', path: '/pkg.Svc/Method', timeout: 1.5e9 });
    const frames: Frame[] = [
      { type: 'SETTINGS', ack: false },
      { type: 'HEADERS', streamId: 1, endStream: false, kind: 'request' },
      { type: 'DATA', streamId: 1, length: 5 + 3, endStream: true },
      { type: 'HEADERS', streamId: 3, endStream: false, kind: 'request' },
      { type: 'DATA', streamId: 3, length: 5, endStream: true },
    ];
    socket.write(concat(frames.map((f) => w.encode(f))));
    await done;
    socket.destroy();
    server.close();
    for (const s of seen) {
      expect(s.headers).toMatchObject({
        ':method': 'POST',
        ':scheme': 'http',
        ':path': '/pkg.Svc/Method',
        ':authority': 'example.test:443',
        'content-type': 'application/grpc',
        'user-agent': 'grpc-go/1.62.0',
        te: 'trailers',
        'grpc-timeout': '1500000u',
      });
    }
    expect([...(seen[0]?.body ?? [])]).toEqual([0, 0, 0, 0, 3, 0, 0, 0]);
    expect([...(seen[1]?.body ?? [])]).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('node:http2 client accepts what the server writer sends', () => {
  it('response headers, a message, trailers; then a Trailers-Only response; and PINGs get their payload echoed', { timeout: 10_000 }, async () => {
    const w = createWireWriter('server');
    const fromClient = createWireReader('client');
    const clientFrames: Frame[] = [];
    const raw = net.createServer((sock) => {
      sock.on('data', (b: Buffer) => {
        const items = fromClient.push(new Uint8Array(b));
        clientFrames.push(...simFrames(items));
        for (const f of simFrames(items)) {
          if (f.type === 'SETTINGS' && !f.ack) {
            sock.write(w.encode({ type: 'SETTINGS', ack: false }));
            sock.write(w.encode({ type: 'SETTINGS', ack: true }));
            sock.write(w.encode({ type: 'PING', ack: false, payload: 'drain' }));
            sock.write(w.encode({ type: 'PING', ack: false, payload: 'bdp' }));
          }
          if (f.type === 'HEADERS' && f.streamId === 1) {
            sock.write(concat([
              w.encode({ type: 'HEADERS', streamId: 1, endStream: false, kind: 'response' }),
              w.encode({ type: 'DATA', streamId: 1, length: 5 + 2, endStream: false }),
              w.encode({ type: 'HEADERS', streamId: 1, endStream: true, kind: 'trailers' }),
            ]));
          }
          if (f.type === 'HEADERS' && f.streamId === 3) sock.write(w.encode({ type: 'HEADERS', streamId: 3, endStream: true, kind: 'trailers' }));
        }
      });
    });
    raw.listen(0, '127.0.0.1');
    await once(raw, 'listening');
    const session = http2.connect(`http://127.0.0.1:${(raw.address() as AddressInfo).port}`);
    const call = async (): Promise<{ headers: http2.IncomingHttpHeaders; trailers: http2.IncomingHttpHeaders; body: Buffer }> => {
      const req = session.request({ ':method': 'POST', ':path': '/x', 'content-type': 'application/grpc' }, { endStream: false });
      req.end();
      const chunks: Buffer[] = [];
      let headers: http2.IncomingHttpHeaders = {};
      let trailers: http2.IncomingHttpHeaders = {};
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('response', (h) => (headers = h));
      req.on('trailers', (t) => (trailers = t));
      await once(req, 'close');
      return { headers, trailers, body: Buffer.concat(chunks) };
    };
    const first = await call();
    const second = await call();
    session.close();
    raw.close();
    expect(first.headers).toMatchObject({ ':status': 200, 'content-type': 'application/grpc' });
    expect(first.trailers).toEqual(expect.objectContaining({ 'grpc-status': '0', 'grpc-message': '' }));
    expect([...first.body]).toEqual([0, 0, 0, 0, 2, 0, 0]);
    // Trailers-Only: Node delivers the single END_STREAM block as the response headers.
    expect(second.headers).toMatchObject({ ':status': 200, 'grpc-status': '0' });
    const acks = clientFrames.filter((f) => f.type === 'PING' && f.ack).map((f) => (f.type === 'PING' ? f.payload : ''));
    expect(acks).toEqual(['drain', 'bdp']);
  });
});
