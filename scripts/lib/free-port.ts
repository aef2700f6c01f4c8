// A TCP port nobody listens on: the OS picks one, and it is closed again at once.
import { createServer } from 'node:net';

/** A free port on `host` (every interface when undefined). */
export async function freePort(host?: string): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, host, listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}
