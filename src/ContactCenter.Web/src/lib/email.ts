// Email bodies: sanitised again in the browser (defence in depth; the server sanitises too), links open in a new
// tab without the opener, and quoted history is folded into a <details> the reader can open.
import DOMPurify from 'dompurify';

const quoteSelectors = ['blockquote', '.gmail_quote', '.gmail_extra', '.moz-cite-prefix', '#appendonsend', '#divRplyFwdMsg', 'div.yahoo_quoted', '[type="cite"]'];

export function sanitizeEmail(html: string, showQuotedLabel: string): string {
  const clean = DOMPurify.sanitize(html, {
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
    FORBID_ATTR: ['style'],
    RETURN_DOM_FRAGMENT: true,
  }) as DocumentFragment;
  clean.querySelectorAll('a[href]').forEach((a) => {
    // Only web, mail and phone links open; any other scheme (javascript:, data:, file:, sms:...) becomes plain text.
    if (!/^(https?:|mailto:|tel:)/i.test((a.getAttribute('href') ?? '').trim())) { a.removeAttribute('href'); return; }
    a.setAttribute('target', '_blank');
    a.setAttribute('rel', 'noopener noreferrer nofollow');
  });
  // Remote images would tell the sender the mail was opened: show them only as links.
  clean.querySelectorAll('img').forEach((img) => {
    const src = img.getAttribute('src') ?? '';
    if (!src.startsWith('data:')) img.replaceWith(document.createTextNode(img.getAttribute('alt') ? `[${img.getAttribute('alt')}]` : ''));
  });
  const quotes = Array.from(clean.querySelectorAll(quoteSelectors.join(','))).filter(
    (el) => !el.parentElement?.closest(quoteSelectors.join(',')));
  if (quotes.length > 0) {
    const details = document.createElement('details');
    details.className = 'quoted';
    const summary = document.createElement('summary');
    summary.textContent = showQuotedLabel;
    details.appendChild(summary);
    // Everything from the first quote on is history.
    const first = quotes[0];
    let node: Node | null = first;
    const moved: Node[] = [];
    while (node) {
      moved.push(node);
      node = node.nextSibling;
    }
    first.parentNode?.insertBefore(details, first);
    moved.forEach((n) => details.appendChild(n));
  }
  const div = document.createElement('div');
  div.appendChild(clean);
  return div.innerHTML;
}

/** Splits plain text into what was written and the quoted history (lines starting with ">" at the end). */
export function splitQuoted(text: string): { body: string; quoted: string | null } {
  const lines = text.split('\n');
  let cut = lines.length;
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim();
    if (l.startsWith('>') || l === '') cut = i;
    else if (/^On .+ wrote:$/.test(l) || /^.+ писал\(а\):$/.test(l)) { cut = i; break; }
    else break;
  }
  while (cut < lines.length && lines[cut].trim() === '') cut++;
  if (cut >= lines.length || !lines.slice(cut).some((l) => l.trim().startsWith('>'))) return { body: text, quoted: null };
  return { body: lines.slice(0, cut).join('\n').trimEnd(), quoted: lines.slice(cut).join('\n') };
}
