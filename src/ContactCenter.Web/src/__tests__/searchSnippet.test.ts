import { describe, expect, it } from 'vitest';
import { decodeEntities, snippetParts } from '../lib/snippet';

describe('search snippets', () => {
  it('splits on the marks and decodes the five escaped characters into text', () => {
    expect(snippetParts('a &lt;b&gt; &amp; <mark>доставки</mark> &quot;x&quot; &#39;y&#39; <mark>z</mark>')).toEqual([
      { text: 'a <b> & ', mark: false },
      { text: 'доставки', mark: true },
      { text: ' "x" \'y\' ', mark: false },
      { text: 'z', mark: true },
    ]);
  });

  it('leaves other entity-looking text alone (decoded once, never twice)', () => {
    expect(decodeEntities('&amp;lt; &nbsp; &#60;')).toBe('&lt; &nbsp; &#60;');
  });
});
