// The package runs in workerd, browsers and Node: its code may import only the shared contracts.
import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

describe('@attend/decoding', () => {
  it('imports no runtime and no Node API outside its tests', async () => {
    const files = (await readdir(import.meta.dirname, { recursive: true })).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    expect(files).toContain('onnx-seq2seq.ts');
    expect(files).toContain('constraints/constrained-search.ts');
    for (const file of files) {
      const source = await readFile(`${import.meta.dirname}/${file}`, 'utf8');
      const imports = [...source.matchAll(/^(?:import|export)[^;]*? from '([^']+)';/gms)].map((match) => match[1]);
      for (const specifier of imports) expect(specifier, `${file} imports ${specifier}`).toMatch(/^(\.\.?\/([\w-]+\/)?[\w-]+\.ts|@attend\/model-spec)$/);
      expect(source, file).not.toMatch(/\b(process|Buffer|require)\b[.(]/);
    }
  });
});
