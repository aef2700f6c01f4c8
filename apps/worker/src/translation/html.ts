// `format: "html"`: an HTML document split into the text nodes to translate and the markup around
// them. Markup is copied from the source byte for byte (tags, attributes, comments, entities of
// untranslated text), so nothing but the translated text can change. htmlparser2's tokenizer
// (fb55/htmlparser2, 22 KB gzip, pure JS) finds the text nodes and decodes their entities; its source
// offsets give the markup between them. Each text node is translated on its own, so a sentence that
// spans inline tags ("Open the <b>file</b> menu.") is translated in three pieces: the markup stays
// intact and in place, at some cost to word order across the tags.
import { Parser } from 'htmlparser2';

/** `texts[i]` sits between `markup[i]` and `markup[i + 1]`: markup.length === texts.length + 1. */
export interface HtmlSplit {
  readonly texts: readonly string[];
  readonly markup: readonly string[];
}

/** Elements whose text is code or data, never prose. */
const UNTRANSLATED = new Set(['script', 'style', 'code', 'kbd', 'samp', 'var', 'template', 'svg', 'math']);
/** Elements whose whitespace is significant. */
const PREFORMATTED = new Set(['pre', 'textarea', 'listing', 'plaintext']);

interface OpenElement {
  readonly skip: boolean;
  readonly pre: boolean;
}

interface TextRun {
  start: number;
  end: number;
  text: string;
  readonly skip: boolean;
  readonly pre: boolean;
}

export function splitHtml(html: string): HtmlSplit {
  const stack: OpenElement[] = [];
  const runs: TextRun[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      const parent = stack.at(-1);
      // HTML's `translate` attribute is inherited, and "yes" turns translation back on below a "no".
      const off = attributes.translate === 'no' || (parent?.skip === true && attributes.translate !== 'yes');
      stack.push({ skip: UNTRANSLATED.has(name) || off, pre: PREFORMATTED.has(name) || parent?.pre === true });
    },
    onclosetag() {
      stack.pop();
    },
    ontext(text) {
      // An entity arrives as its own event: runs that touch are one text node.
      const start = parser.startIndex;
      const end = parser.endIndex + 1;
      const last = runs.at(-1);
      const top = stack.at(-1);
      if (last && last.end === start && last.skip === (top?.skip ?? false)) {
        last.end = end;
        last.text += text;
      } else {
        runs.push({ start, end, text, skip: top?.skip ?? false, pre: top?.pre ?? false });
      }
    },
  });
  parser.end(html);
  return assemble(html, runs);
}

/** Markup and translatable texts in order; a text's edge whitespace stays in the markup, verbatim. */
function assemble(html: string, runs: readonly TextRun[]): HtmlSplit {
  const texts: string[] = [];
  const markup: string[] = [];
  let copiedTo = 0;
  for (const run of runs) {
    if (run.skip || run.text.trim() === '') continue; // copied with the markup around it
    // Raw ASCII whitespace decodes to itself, so the source's edges are the decoded text's edges.
    const source = html.slice(run.start, run.end);
    const lead = LEADING_SPACE.exec(source)![0].length;
    const trail = TRAILING_SPACE.exec(source)![0].length;
    markup.push(html.slice(copiedTo, run.start + lead));
    const core = run.text.slice(lead, run.text.length - trail);
    // Outside <pre>, a line break is layout, not a sentence end: whitespace runs read as one space.
    texts.push(run.pre ? core : core.replace(/[ \t\n\f\r]+/g, ' '));
    copiedTo = run.end - trail;
  }
  markup.push(html.slice(copiedTo));
  return { texts, markup };
}

const LEADING_SPACE = /^[ \t\n\f\r]*/;
const TRAILING_SPACE = /[ \t\n\f\r]*$/;

/** Text as HTML text content: `&`, `<` and `>` escaped (quotes need no escape outside attributes). */
export function escapeHtmlText(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}
