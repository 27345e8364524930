import { describe, expect, it } from 'vitest';
import { keepaliveCost } from '../../../src/analysis/rates/cost.js';
import { parseScenario } from '../../../src/scenario/load.js';

describe('keepaliveCost', () => {
  it('counts what goes on the wire: the PING, the PING ACK carrying the PING\'s ACK, and one pure ACK of the PING ACK', () => {
    // An idle stream, 10 ms each way: each server keepalive cycle is a 17-byte PING in a segment
    // of its own (+52 B), the client's PING ACK (17 + 52 B) acknowledging it, and the server's
    // delayed pure ACK of the PING ACK (52 B). 60 cycles an hour at Time 60 s.
    const sc = parseScenario({ name: 'idle', workload: [{ type: 'stream', at: '0s' }] }, 'test');
    const c = keepaliveCost(sc, { side: 'server', time: 60e9, timeout: 5e9 }, 1);
    expect(c.pingsPerHour).toEqual({ serverToClient: 60, clientToServer: 0 });
    expect(c.bytesPerHour).toEqual({ serverToClient: 60 * (17 + 52 + 52), clientToServer: 60 * (17 + 52) });
  });
});
