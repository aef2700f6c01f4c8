// PE(pos, i) = sin(pos / 10000^(2i/d)),  PE(pos, d/2 + i) = cos(pos / 10000^(2i/d))   (Vaswani et al. 2017, §3.5)
// Marian's layout: all sines in the first half of the vector, all cosines in the second half (the paper
// interleaves them). Hugging Face's MarianSinusoidalPositionalEmbedding builds the same table, so our
// `model.{encoder,decoder}.embed_positions.weight` are interchangeable with an OPUS-MT state dict.
import { torch, type DType, type Tensor } from '@attend/torch';

/** The [maxPositions, d] table, row-major, computed in float64 and rounded once. */
export function sinusoidTable(maxPositions: number, d: number): Float64Array {
  if (d % 2 !== 0) throw new Error(`the sinusoidal encoding needs an even width, got ${d}`);
  const half = d / 2;
  const table = new Float64Array(maxPositions * d);
  for (let pos = 0; pos < maxPositions; pos++) {
    for (let i = 0; i < half; i++) {
      const angle = pos / Math.pow(10000, (2 * i) / d);
      table[pos * d + i] = Math.sin(angle);
      table[pos * d + half + i] = Math.cos(angle);
    }
  }
  return table;
}

/** A constant buffer: stored with the weights (Marian's state dict has it) but never trained. */
export function positionalEncoding(maxPositions: number, d: number, dtype: DType): Tensor {
  const table = sinusoidTable(maxPositions, d);
  const data = dtype === 'float64' ? table : Float32Array.from(table);
  return torch.tensor(data, [maxPositions, d], dtype);
}

/** Rows [offset, offset + length) of the table: positions start at the past length when decoding incrementally. */
export function positionsAt(table: Tensor, offset: number, length: number): Tensor {
  const maxPositions = table.shape[0] ?? 0;
  if (offset + length > maxPositions) {
    throw new Error(`sequence reaches position ${offset + length - 1}, the table covers ${maxPositions}; raise config.maxPositions or split the input`);
  }
  return table.narrow(0, offset, length); // [T, d], broadcast over the batch
}
