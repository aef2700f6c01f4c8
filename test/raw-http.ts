// HTTP/1.1 at the byte level, for requests no well-behaved client sends: chunked bodies, bodies shorter
// than their Content-Length, duplicate headers, invalid UTF-8, odd methods. Loopback only.
import { connect } from 'node:net';

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
      if (request.chunked) {
        for (let at = 0; at < body.length; at += 16_384) {
          const chunk = body.subarray(at, at + 16_384);
          socket.write(`${chunk.length.toString(16)}\r\n`);
          socket.write(chunk);
          socket.write('\r\n');
        }
        socket.write('0\r\n\r\n');
      } else if (body.length > 0) socket.write(body);
      if (request.hangUpAfterMs !== undefined) setTimeout(finish, request.hangUpAfterMs);
    });
  });
}

function parse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (!text.startsWith('HTTP/') || end === -1) return { status: 0, headers: {}, body: text };
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(text.slice(end + 4), 'latin1').toString('utf8') };
}
