import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.ts';

// Sentences of test.gnomehelp.tsv (whose corpus profiles.ts never saw) and UI strings written for this
// test; README "Language identification" has the accuracy on thousands of each.
const SENTENCES: [string, string][] = [
  ['Click the Configuration tab.', 'en'],
  ['Pulse la pestaña Configuración.', 'es'],
  ['Turn on slow keys if you would like there to be a delay between pressing a key and that letter being displayed on the screen.', 'en'],
  ['Active las teclas lentas si quiere que haya un retardo entre la pulsación de una tecla y la visualización de esa letra en la pantalla.', 'es'],
];
const UI_STRINGS: [string, string][] = [
  ['Open the file', 'en'],
  ['Abrir el archivo', 'es'],
  ['Save as…', 'en'],
  ['Guardar como…', 'es'],
  ['Delete selected items', 'en'],
  ['Eliminar elementos seleccionados', 'es'],
  ['Show hidden files', 'en'],
  ['Mostrar archivos ocultos', 'es'],
  ['Print preview', 'en'],
  ['Vista previa de impresión', 'es'],
];

describe('detectLanguage', () => {
  it('tells English from Spanish in sentences and short UI strings, with a confidence', async () => {
    for (const [text, language] of [...SENTENCES, ...UI_STRINGS]) {
      const [best, other] = await detectLanguage(text, ['en', 'es']);
      expect(best, text).toMatchObject({ language });
      expect(best!.confidence, text).toBeGreaterThan(0.5);
      expect(best!.confidence + other!.confidence).toBeCloseTo(1, 6);
    }
  });

  it('is unsure of a word both languages spell alike, and sure of a sentence (the confidence is calibrated)', async () => {
    expect((await detectLanguage('Error', ['en', 'es']))[0]!.confidence).toBeLessThan(0.7);
    expect((await detectLanguage('Where is the library?', ['en', 'es']))[0]!.confidence).toBeGreaterThan(0.99);
  });

  it('answers in the catalog\'s own codes, locale tags included', async () => {
    const ranking = await detectLanguage('¿Dónde está la biblioteca?', ['en-US', 'es_ES']);
    expect(ranking.map((s) => s.language)).toEqual(['es_ES', 'en-US']);
  });

  it('lets franc-min decide when a candidate has no profile of ours, and ranks unknown languages last at 0', async () => {
    const candidates = ['en', 'es', 'fr', 'xx'];
    expect((await detectLanguage('Où se trouve la bibliothèque ? Elle est près du vieux pont.', candidates))[0]!.language).toBe('fr');
    expect((await detectLanguage('Where is the library? It is near the old bridge.', candidates))[0]!.language).toBe('en');
    expect((await detectLanguage('¿Dónde está la biblioteca? Está cerca del puente viejo.', candidates))[0]!.language).toBe('es');
    expect((await detectLanguage('Hello there, my friend.', candidates)).at(-1)).toEqual({ language: 'xx', confidence: 0 });
  });

  it('gives confidence 0 to every candidate when the text has no letters', async () => {
    for (const text of ['', '42 + 7 = 49', '😀😀']) {
      expect((await detectLanguage(text, ['en', 'es'])).map((s) => s.confidence)).toEqual([0, 0]);
    }
  });
});
