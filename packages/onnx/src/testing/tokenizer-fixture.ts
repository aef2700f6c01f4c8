// A minimal valid Hugging Face tokenizer over a small vocabulary, for export tests: WordLevel over
// whitespace-split words `w3 ... w{V-1}`, the special tokens of model-spec first, and `</s>` appended
// to every sequence as Marian's tokenizer does. The real tokenizer comes from packages/tokenizer.
import { SPECIAL_TOKENS } from '@attend/model-spec';

export function wordLevelTokenizer(vocabSize: number): { tokenizerJson: object; tokenizerConfig: object } {
  const specials = [SPECIAL_TOKENS.pad, SPECIAL_TOKENS.eos, SPECIAL_TOKENS.unk];
  const vocab: Record<string, number> = Object.fromEntries(specials.map((t) => [t.content, t.id]));
  for (let id = specials.length; id < vocabSize; id++) vocab[`w${id}`] = id;
  const eos = SPECIAL_TOKENS.eos.content;
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specials.map((t) => ({
      id: t.id,
      content: t.content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: eos, type_id: 0 } }],
      special_tokens: { [eos]: { id: eos, ids: [SPECIAL_TOKENS.eos.id], tokens: [eos] } },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: false },
    model: { type: 'WordLevel', vocab, unk_token: SPECIAL_TOKENS.unk.content },
  };
  const tokenizerConfig = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    model_max_length: 512,
    pad_token: SPECIAL_TOKENS.pad.content,
    eos_token: eos,
    unk_token: SPECIAL_TOKENS.unk.content,
  };
  return { tokenizerJson, tokenizerConfig };
}
