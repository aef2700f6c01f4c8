import { describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, manifestEntry, parseManifest, sha256Hex, verifyFile } from './manifest.ts';

const bytes = new TextEncoder().encode('abc');
const ABC = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'; // FIPS 180-2 test vector

describe('manifest', () => {
  const valid = { format: MANIFEST_FORMAT, id: 'm', source: 'en', target: 'es', created: '2026-11-24T00:00:00Z', files: [{ path: 'a/b.bin', size: 3, sha256: ABC }] };

  it('parses a valid manifest and finds entries', () => {
    const manifest = parseManifest(JSON.stringify(valid));
    expect(manifestEntry(manifest, 'a/b.bin').size).toBe(3);
    expect(() => manifestEntry(manifest, 'nope')).toThrow(/lists no file "nope"/);
  });

  it('rejects bad manifests with the reason', () => {
    expect(() => parseManifest('{')).toThrow(/not valid JSON/);
    expect(() => parseManifest(JSON.stringify({ ...valid, format: 'x' }))).toThrow(/format must be/);
    expect(() => parseManifest(JSON.stringify({ ...valid, files: [{ path: '../x', size: 1, sha256: ABC }] }))).toThrow(/relative path/);
    expect(() => parseManifest(JSON.stringify({ ...valid, files: [{ path: 'x', size: 1, sha256: 'ABC' }] }))).toThrow(/sha256/);
  });

  it('verifies size and sha256', async () => {
    expect(await sha256Hex(bytes)).toBe(ABC);
    await expect(verifyFile({ path: 'f', size: 3, sha256: ABC }, bytes)).resolves.toBeUndefined();
    await expect(verifyFile({ path: 'f', size: 4, sha256: ABC }, bytes)).rejects.toThrow(/3 bytes, manifest says 4/);
    await expect(verifyFile({ path: 'f', size: 3, sha256: '0'.repeat(64) }, bytes)).rejects.toThrow(/does not match/);
  });
});
