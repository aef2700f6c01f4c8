import { beforeAll, describe, expect, it } from 'vitest';
import { trainBpe } from './bpe-trainer.ts';
import { Tokenizer } from './tokenizer.ts';

const GOLDEN_CORPUS = [
  'The cat sat on the mat.',
  'El gato se sentó en la alfombra.',
  'Open the file, then save it.',
  'Abra el archivo y guárdelo después.',
  'Save 3 files in 2024?',
  '¿Guardar 3 archivos en 2024?',
  'The café is open: niño, año, corazón.',
  'El café está abierto: niño, año, corazón.',
];

// text -> ids (with </s>) -> the same text, NFC. Ids 3..258 are the byte tokens <0x00>..<0xFF>.
const GOLDEN: Array<[text: string, ids: number[], tokens: string[]]> = [
  ['The cat sat.', [318, 307, 302, 304, 303, 304, 271, 1], ['▁T', 'he', '▁c', 'at', '▁s', 'at', '.', '</s>']],
  ['café', [302, 322, 281, 1], ['▁c', 'af', 'é', '</s>']],
  ['cafe\u0301', [302, 322, 281, 1], ['▁c', 'af', 'é', '</s>']], // NFD in, NFC out
  ['niño 2024', [313, 265, 276, 262, 315, 283, 274, 285, 1], ['▁n', 'i', 'ñ', 'o', '▁2', '0', '2', '4', '</s>']],
  ['¿Qué?', [259, 299, 84, 280, 281, 287, 1], ['▁', '¿', '<0x51>', 'u', 'é', '?', '</s>']], // Q unseen
  ['Save 3 files!', [259, 297, 323, 261, 316, 314, 327, 311, 36, 1], ['▁', 'S', 'av', 'e', '▁3', '▁f', 'il', 'es', '<0x21>', '</s>']],
  ['👋 hi', [259, 243, 162, 148, 142, 259, 270, 265, 1], ['▁', '<0xF0>', '<0x9F>', '<0x91>', '<0x8B>', '▁', 'h', 'i', '</s>']],
  ['日本', [259, 233, 154, 168, 233, 159, 175, 1], ['▁', '<0xE6>', '<0x97>', '<0xA5>', '<0xE6>', '<0x9C>', '<0xAC>', '</s>']],
  ['مرحبا', [259, 220, 136, 219, 180, 219, 176, 219, 171, 219, 170, 1], ['▁', '<0xD9>', '<0x85>', '<0xD8>', '<0xB1>', '<0xD8>', '<0xAD>', '<0xD8>', '<0xA8>', '<0xD8>', '<0xA7>', '</s>']],
  ['  two  spaces  ', [259, 259, 309, 122, 262, 259, 303, 279, 260, 269, 311, 259, 259, 1], ['▁', '▁', '▁t', '<0x77>', 'o', '▁', '▁s', 'p', 'a', 'c', 'es', '▁', '▁', '</s>']],
  [' leading', [259, 259, 268, 261, 260, 278, 265, 263, 290, 1], ['▁', '▁', 'l', 'e', 'a', 'd', 'i', 'n', 'g', '</s>']],
  ['trailing ', [309, 306, 327, 265, 263, 290, 259, 1], ['▁t', 'ra', 'il', 'i', 'n', 'g', '▁', '</s>']],
  ['tab\there', [309, 260, 277, 12, 307, 266, 261, 1], ['▁t', 'a', 'b', '<0x09>', 'he', 'r', 'e', '</s>']],
  ['\uFEFFbom', [259, 242, 190, 194, 277, 262, 291, 1], ['▁', '<0xEF>', '<0xBB>', '<0xBF>', 'b', 'o', 'm', '</s>']],
  ['', [1], ['</s>']],
];

describe('Tokenizer', () => {
  let tokenizer: Tokenizer;
  beforeAll(async () => {
    tokenizer = await trainBpe(GOLDEN_CORPUS, { vocabSize: 330, characterCoverage: 1, minFrequency: 2 });
  });

  it.each(GOLDEN)('golden %j', (text, ids, tokens) => {
    const encoded = tokenizer.encode(text);
    expect(encoded).toEqual(ids);
    expect(encoded.map((id) => tokenizer.idToToken(id))).toEqual(tokens);
    expect(tokenizer.decode(encoded)).toBe(text.normalize('NFC'));
  });

  it('lays out specials, then bytes, then characters and merges', () => {
    expect([0, 1, 2, 3, 258, 259].map((id) => tokenizer.idToToken(id))).toEqual(['<pad>', '</s>', '<unk>', '<0x00>', '<0xFF>', '▁']);
    expect(tokenizer.tokenToId('</s>')).toBe(1);
    expect(tokenizer.idToToken(tokenizer.vocabSize)).toBeUndefined();
    expect(tokenizer.vocabSize).toBe(330);
  });

  it('omits </s> on request and keeps special tokens in decoded text on request', () => {
    expect(tokenizer.encode('café', { addEos: false })).toEqual([302, 322, 281]);
    expect(tokenizer.decode([0, 302, 322, 281, 1], { skipSpecialTokens: false })).toBe('<pad> café</s>');
    expect(tokenizer.decode([])).toBe('');
  });

  it('reads special tokens written in the text as those tokens, as Hugging Face does', () => {
    expect(tokenizer.encode('a</s>b')).toEqual([300, 1, 259, 277, 1]);
  });

  it('rejects ids outside the vocabulary', () => {
    expect(() => tokenizer.decode([5, 330])).toThrow(RangeError);
    expect(() => tokenizer.decode([-1])).toThrow(/outside the vocabulary/);
  });

  it('round-trips through tokenizer.json', () => {
    const json = JSON.parse(JSON.stringify(tokenizer)) as unknown;
    const loaded = Tokenizer.fromJSON(json);
    expect(loaded.toJSON()).toEqual(tokenizer.toJSON());
    for (const [text, ids] of GOLDEN) expect(loaded.encode(text)).toEqual(ids);
  });

  it('refuses a tokenizer.json with another pipeline or a broken vocabulary', () => {
    const json = tokenizer.toJSON();
    expect(() => Tokenizer.fromJSON({ ...json, normalizer: { type: 'NFKC' } })).toThrow(/"normalizer" is not the pipeline/);
    expect(() => Tokenizer.fromJSON({ ...json, model: { ...json.model, vocab: null } })).toThrow(/model must be/);
    const vocab = { ...json.model.vocab, '<pad>': 7 };
    expect(() => Tokenizer.fromJSON({ ...json, model: { ...json.model, vocab } })).toThrow(/vocab ids must be/);
    const merges: Array<[string, string]> = [...json.model.merges, ['▁', 'Q']];
    expect(() => Tokenizer.fromJSON({ ...json, model: { ...json.model, merges } })).toThrow(/must join learned tokens/);
  });
});
