import { describe, expect, it } from 'vitest';
import { escapeHtmlText, splitHtml } from './html.ts';

/** The document rebuilt from its split, with each text mapped by `f` and escaped. */
const rebuild = (html: string, f: (text: string) => string = (t) => t) => {
  const { texts, markup } = splitHtml(html);
  return markup.map((m, i) => m + (i < texts.length ? escapeHtmlText(f(texts[i]!)) : '')).join('');
};

describe('splitHtml', () => {
  it('splits text nodes from the markup around them, each inline-tagged piece on its own', () => {
    expect(splitHtml('<p>Open the <b>file</b> menu.</p>')).toEqual({ texts: ['Open the', 'file', 'menu.'], markup: ['<p>', ' <b>', '</b> ', '</p>'] });
  });

  it('copies markup byte for byte: attributes, quotes, comments, doctype, void and unclosed tags', () => {
    const html = '<!DOCTYPE html>\n<p title="a > b" class=x data-x=\'1\'>Hi<br/><img src=x alt="Pic"><!-- note -->there<li>one';
    expect(rebuild(html)).toBe(html);
    expect(rebuild(html, (t) => t.toUpperCase())).toBe(html.replace('>Hi<', '>HI<').replace('>there<', '>THERE<').replace('>one', '>ONE'));
  });

  it('decodes entities for translation and escapes the translation', () => {
    const { texts } = splitHtml('<p>Caf&eacute; &amp; tea &lt;3</p>');
    expect(texts).toEqual(['Café & tea <3']);
    expect(rebuild('<p>Caf&eacute; &amp; tea &lt;3</p>')).toBe('<p>Café &amp; tea &lt;3</p>');
    expect(rebuild('<p>x</p>', () => '<script>alert(1)</script> & co')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>');
  });

  it('leaves script, style, code and translate="no" alone; translate="yes" turns it back on', () => {
    const html = '<script>var a = "<b>x</b>";</script><style>p{}</style><p>Run <code>ls -l</code> now.</p><div translate="no">Brand <i translate="yes">and this</i></div>';
    expect(splitHtml(html).texts).toEqual(['Run', 'now.', 'and this']);
    expect(rebuild(html, () => 'T')).toBe(html.replace('Run <', 'T <').replace('> now.', '> T').replace('and this', 'T'));
  });

  it('reads line breaks outside <pre> as spaces, and keeps whitespace-only nodes and edges as markup', () => {
    const html = '<ul>\n  <li>One\n   two</li>\n</ul><pre>a\n  b</pre>';
    expect(splitHtml(html)).toEqual({ texts: ['One two', 'a\n  b'], markup: ['<ul>\n  <li>', '</li>\n</ul><pre>', '</pre>'] });
  });

  it('splits a document without markup into one text, and one without text into markup only', () => {
    expect(splitHtml(' plain & simple ')).toEqual({ texts: ['plain & simple'], markup: [' ', ' '] });
    expect(splitHtml('<br><hr>')).toEqual({ texts: [], markup: ['<br><hr>'] });
    expect(splitHtml('')).toEqual({ texts: [], markup: [''] });
  });
});
