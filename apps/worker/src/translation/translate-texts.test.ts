import { describe, expect, it } from 'vitest';
import { scriptedTranslator } from '../../test/scripted-translator.ts';
import { planRequest } from './request-plan.ts';
import { type TextEvent, translateTexts } from './translate-texts.ts';

async function collect(events: AsyncIterable<TextEvent>) {
  const out: TextEvent[] = [];
  for await (const event of events) out.push(event);
  return out.filter((e) => e.type === 'done');
}

describe('translateTexts', () => {
  it('reports finish_reason "stop" at EOS and "length" at max_tokens', async () => {
    const options = { numBeams: 1, maxTokens: 4 };
    const short = scriptedTranslator({ tokens: 2 });
    expect(await collect(translateTexts(short, planRequest(short, ['One.'], options), options))).toMatchObject([{ text: 'xx', finishReason: 'stop', usage: { input_tokens: 2, output_tokens: 2 } }]);
    const long = scriptedTranslator({ tokens: 9 });
    expect(await collect(translateTexts(long, planRequest(long, ['One.'], options), options))).toMatchObject([{ text: 'xxxx', finishReason: 'length' }]);
  });

  it('ends the text being decoded and those after it with "length" when the decode budget runs out', async () => {
    const translator = scriptedTranslator({ stepMs: 2 }); // never reaches EOS
    const options = { numBeams: 1, maxTokens: 10_000 };
    const started = performance.now();
    const done = await collect(translateTexts(translator, planRequest(translator, ['One. Two.', 'Three.'], options), options, 60));
    const elapsed = performance.now() - started;
    expect(done.map((d) => d.type === 'done' && d.finishReason)).toEqual(['length', 'length']);
    expect(done[0]!.text.length).toBeGreaterThan(0); // what was decoded stays
    expect(done[1]!.text).toBe('');
    expect(elapsed).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('stops at the next step when the client goes away, and throws its reason', async () => {
    const translator = scriptedTranslator({ stepMs: 2 });
    const client = new AbortController();
    const options = { numBeams: 1, maxTokens: 10_000, signal: client.signal };
    setTimeout(() => client.abort(new Error('client disconnected')), 30);
    await expect(collect(translateTexts(translator, planRequest(translator, ['One.'], options), options))).rejects.toThrow('client disconnected');
    const stopped = translator.steps;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(translator.steps).toBe(stopped);
  });
});
