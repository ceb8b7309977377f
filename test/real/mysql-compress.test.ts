/**
 * mysql2's `compress: true`, checked against the MariaDB server at 127.0.0.1:3306 (user `root`, no password, database
 * `test`). The tests fail when the server cannot be reached.
 *
 * RDS Proxy does not support the MySQL compressed protocol (`lambda-rds/no-proxy-incompatible-options` reports
 * `compress`). What the proxy announces in its handshake is not documented and cannot be observed from here. What can
 * be checked is the driver: mysql2 compresses only when the server's handshake offers compression. A loopback relay
 * that removes the offer (the `CLIENT_COMPRESS` capability bit) from MariaDB's handshake stands in for a server
 * without compression: through it, `compress: true` connects and nothing is compressed.
 */
import net from 'node:net';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SERVER = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } as const;

/** `CLIENT_COMPRESS` in the lower two bytes of the handshake's capability flags. */
const CLIENT_COMPRESS = 0x20;

/** Offset of the lower capability flags in the first packet of a protocol-10 handshake (header included). */
function capabilityOffset(packet: Buffer): number {
  const versionEnd = packet.indexOf(0, 5);
  // header (4) + protocol (1) + version + NUL + connection id (4) + auth data part 1 (8) + filler (1)
  return versionEnd + 1 + 4 + 8 + 1;
}

interface Relay {
  readonly port: number;
  /** Whether the server's own handshake offered compression (seen by the relay). */
  serverOffered: boolean | undefined;
  close(): Promise<void>;
}

/** A relay to MariaDB that clears `CLIENT_COMPRESS` in the server's handshake and forwards everything else. */
async function startRelay(): Promise<Relay> {
  const sockets = new Set<net.Socket>();
  const relay: Relay = {
    port: 0,
    serverOffered: undefined,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(SERVER.port, SERVER.host);
    sockets.add(client).add(upstream);
    let pending: Buffer | undefined = Buffer.alloc(0);
    upstream.on('data', (chunk: Buffer) => {
      if (!pending) {
        client.write(chunk);
        return;
      }
      pending = Buffer.concat([pending, chunk]);
      if (pending.length < 4 || pending.length < 4 + pending.readUIntLE(0, 3)) return;
      const greeting = pending;
      pending = undefined;
      const offset = capabilityOffset(greeting);
      relay.serverOffered = (greeting[offset]! & CLIENT_COMPRESS) !== 0;
      greeting[offset] = greeting[offset]! & ~CLIENT_COMPRESS;
      client.write(greeting);
    });
    client.on('data', (chunk) => upstream.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (relay as { port: number }).port = (server.address() as net.AddressInfo).port;
  return relay;
}

async function compression(options: mysql.ConnectionOptions): Promise<string> {
  const connection = await mysql.createConnection(options);
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Compression'");
    const [check] = await connection.query<mysql.RowDataPacket[]>('SELECT 1 + 1 AS two');
    expect(check).toEqual([{ two: 2 }]);
    return String(rows[0]!.Value);
  } finally {
    await connection.end();
  }
}

describe('mysql2 `compress: true`', () => {
  let relay: Relay;
  beforeAll(async () => {
    relay = await startRelay();
  });
  afterAll(async () => {
    await relay.close();
  });

  it('compresses when the server offers compression (MariaDB directly)', async () => {
    expect(await compression({ ...SERVER, compress: true })).toBe('ON');
    expect(await compression({ ...SERVER })).toBe('OFF');
  });

  it('connects uncompressed when the server does not offer it', async () => {
    expect(await compression({ ...SERVER, port: relay.port, compress: true })).toBe('OFF');
    // The relay did remove an offer the server made: the check above is not vacuous.
    expect(relay.serverOffered).toBe(true);
  });
});
