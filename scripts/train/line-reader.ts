// Reads a file line by line from a byte offset, keeping the offset of every line end, so a training run
// can record exactly where it is in a corpus of any size and resume there without re-reading it.
import { open } from 'node:fs/promises';

export interface Line {
  readonly bytes: Uint8Array; // without the trailing \n (and \r)
  readonly end: number; // byte offset just past this line's \n
}

const CHUNK = 1 << 20;

export async function* readLines(path: string, start = 0): AsyncGenerator<Line> {
  const file = await open(path, 'r');
  try {
    let pending = new Uint8Array(0);
    let pendingStart = start; // file offset of pending[0]
    let position = start;
    const chunk = new Uint8Array(CHUNK);
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, CHUNK, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = concat(pending, chunk.subarray(0, bytesRead));
      let from = 0;
      for (let nl = data.indexOf(10, from); nl !== -1; nl = data.indexOf(10, from)) {
        yield { bytes: trimCr(data.subarray(from, nl)), end: pendingStart + nl + 1 };
        from = nl + 1;
      }
      pending = data.slice(from);
      pendingStart += from;
    }
    if (pending.length > 0) yield { bytes: trimCr(pending), end: pendingStart + pending.length };
  } finally {
    await file.close();
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function trimCr(line: Uint8Array): Uint8Array {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
}
