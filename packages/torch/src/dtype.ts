export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

export type TypedData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

// The order is the dtype code shared with native/handle.h (kScalarTypes).
export const DTYPES: readonly DType[] = ['float32', 'float64', 'int64', 'int32', 'bool'];

const CODES: Readonly<Record<DType, number>> = { float32: 0, float64: 1, int64: 2, int32: 3, bool: 4 };

export function dtypeCode(dtype: DType): number {
  const code = CODES[dtype];
  if (code === undefined) throw new TypeError(`unknown dtype '${dtype}'; expected one of ${DTYPES.join(', ')}`);
  return code;
}

export function dtypeOfData(data: TypedData): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  return 'bool';
}

/** Numbers laid out as `dtype` (bool: nonzero is true). */
export function typedFromNumbers(values: readonly number[], dtype: DType): TypedData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int32':
      return Int32Array.from(values);
    case 'int64':
      return BigInt64Array.from(values, (v) => BigInt(Math.trunc(v)));
    case 'bool':
      return Uint8Array.from(values, (v) => (v ? 1 : 0));
  }
}

/** A typed view of `buffer` holding elements of `dtype`. */
export function typedView(buffer: ArrayBuffer, dtype: DType): TypedData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'int64':
      return new BigInt64Array(buffer);
    case 'bool':
      return new Uint8Array(buffer);
  }
}
