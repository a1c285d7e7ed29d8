// Plain message text with its links made clickable, safely: only http(s), mailto and tel, each opened without the
// opener and without a referrer. Everything else stays text (React escapes it).
import type { ReactNode } from 'react';

const linkPattern = /\b(?:https?:\/\/|mailto:|tel:|www\.)[^\s<>"']+/gi;
const trailing = /[.,;:!?)\]}»"']+$/;

/** The href for a link found in text, or null when its scheme is not one we open. */
export function safeHref(found: string): string | null {
  const href = /^www\./i.test(found) ? `https://${found}` : found;
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(linkPattern)) {
    let found = match[0];
    // A sentence's closing punctuation is not part of the link ("see https://x.ru/a.").
    const cut = found.match(trailing);
    if (cut && !(cut[0].startsWith(')') && found.includes('('))) found = found.slice(0, found.length - cut[0].length);
    const start = match.index ?? 0;
    const href = safeHref(found);
    if (!href) continue;
    if (start > last) out.push(text.slice(last, start));
    out.push(<a key={start} href={href} target="_blank" rel="noopener noreferrer">{found}</a>);
    last = start + found.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
