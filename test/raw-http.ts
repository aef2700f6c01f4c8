// HTTP/1.1 at the byte level, for requests no well-behaved client sends: chunked bodies, bodies shorter
// than their Content-Length, duplicate headers, invalid UTF-8, odd methods. Loopback only.
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  readonly status: number; // 0: the server closed without an answer
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface RawRequest {
  readonly head: string; // request line and headers, without the blank line (Connection: close is added)
  readonly body?: Uint8Array | string;
  readonly chunked?: boolean; // send the body as chunks of 16 KB
  readonly hangUpAfterMs?: number; // close without waiting for an answer
}

export function rawRequest(port: number, request: RawRequest, timeoutMs = 30_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    const finish = () => {
      socket.destroy();
      resolve(parse(Buffer.concat(received).toString('latin1')));
    };
    socket.setTimeout(timeoutMs, finish);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', finish);
    socket.on('error', finish);
    socket.on('connect', () => {
      socket.write(`${request.head}\r\nConnection: close\r\n\r\n`); // the answer ends with the connection
      const body = typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body ?? new Uint8Array());
      // Stops sending once the server has answered, as browsers do: a server that refuses a body early
      // closes, and the rest of the body would make its kernel reset the connection, answer and all.
      void sendBody(socket, body, request.chunked === true, () => received.length > 0);
      if (request.hangUpAfterMs !== undefined) setTimeout(finish, request.hangUpAfterMs);
    });
  });
}

const PIECE_BYTES = 16_384;

/** The body in pieces of 16 KB (as chunks, with `chunked`), waiting for each to drain, until `answered`. */
async function sendBody(socket: Socket, body: Buffer, chunked: boolean, answered: () => boolean): Promise<void> {
  const write = (data: string | Buffer) => (socket.write(data) ? Promise.resolve() : new Promise<void>((resolve) => socket.once('drain', resolve)));
  for (let at = 0; at < body.length; at += PIECE_BYTES) {
    if (answered() || socket.destroyed) return;
    const piece = body.subarray(at, at + PIECE_BYTES);
    await write(chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece);
  }
  if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
}

function parse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/') || end === -1) return { status: 0, headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(text.slice(end + 4), 'latin1').toString('utf8') };
}
