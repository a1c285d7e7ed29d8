// A search hit's snippet is HTML from the server: escaped text with the hits in <mark></mark>. It is never given to
// innerHTML: it is split on the marks and each part is rendered as a text node (React escapes it again).

export interface SnippetPart { text: string; mark: boolean }

const entities: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The server escapes exactly these five characters; anything else that looks like an entity stays as it is. */
export function decodeEntities(s: string): string {
  return s.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => entities[e]);
}

export function snippetParts(html: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  // Split keeps the captured marks' contents at odd indexes.
  html.split(/<mark>(.*?)<\/mark>/s).forEach((piece, i) => {
    if (piece) parts.push({ text: decodeEntities(piece), mark: i % 2 === 1 });
  });
  return parts;
}
