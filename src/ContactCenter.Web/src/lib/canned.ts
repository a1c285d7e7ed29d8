import { body, client, type Schemas } from '../api/client';
import type { Id } from '../types';

export type CannedFile = Schemas['CannedFileDto'];
export type CannedResponse = Schemas['CannedResponseDto'];
export type CannedRender = Schemas['CannedRenderResult'];

export const listCanned = (q?: string, signal?: AbortSignal) =>
  body(client.GET('/api/canned-responses', { params: { query: q ? { q } : {} }, signal }));
export const renderCanned = (id: Id, conversationId: Id) =>
  body(client.POST('/api/canned-responses/{id}/render', { params: { path: { id: Number(id) } }, body: { conversationId: Number(conversationId) } }));

/**
 * The composer's popup filters the list it loaded once, with the server's rule (CannedSearch): every word found in the
 * shortcut, title or text, or its letters in order in the shortcut or title; best first. Local, so typing never races a fetch.
 */
export function filterCanned(list: CannedResponse[], q: string): CannedResponse[] {
  const words = q.split(/\s+/).map((w) => w.replace(/^\/+/, '').toLowerCase()).filter(Boolean);
  if (words.length === 0) return list;
  const scored = list.map((r) => ({ r, score: score(r, words) })).filter((x) => x.score > 0);
  scored.sort((a, b) => b.score - a.score || a.r.shortcut.localeCompare(b.r.shortcut));
  return scored.map((x) => x.r);
}

function score(r: CannedResponse, words: string[]): number {
  let total = 0;
  for (const word of words) {
    const best = bestMatch(r, word);
    if (best === 0) return 0;
    total += best;
  }
  return total;
}

function bestMatch(r: CannedResponse, word: string): number {
  const shortcut = r.shortcut.toLowerCase();
  const title = (r.title ?? '').toLowerCase();
  if (shortcut === word) return 100;
  if (shortcut.startsWith(word)) return 80;
  if (shortcut.includes(word)) return 60;
  if (title.includes(word)) return 50;
  if (r.text.toLowerCase().includes(word)) return 30;
  if (inOrder(shortcut, word)) return 20;
  return inOrder(title, word) ? 10 : 0;
}

export function inOrder(haystack: string, word: string): boolean {
  let at = 0;
  for (const ch of word) {
    at = haystack.indexOf(ch, at);
    if (at < 0) return false;
    at++;
  }
  return true;
}

/** The "/query" token that ends at the caret, when it starts the text or follows whitespace; null otherwise. */
export function slashToken(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const m = /(^|\s)\/(\S*)$/.exec(before);
  if (!m) return null;
  return { start: before.length - m[2].length - 1, query: m[2] };
}
