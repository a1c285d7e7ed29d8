import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { money } from '../../lib/format';
import { lineTotal, type ProductLine } from './cardTypes';

/** Products lines of a deal (name, price, quantity, discount) and whether the amount is their sum; saved as a whole. */
export function ProductsEditor({ lines, fromProducts, currency, onSave }: {
  lines: ProductLine[]; fromProducts: boolean; currency: string; onSave: (lines: ProductLine[], fromProducts: boolean) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const [draft, setDraft] = useState(lines);
  const [auto, setAuto] = useState(fromProducts);
  const [busy, setBusy] = useState(false);
  useEffect(() => { setDraft(lines); setAuto(fromProducts); }, [lines, fromProducts]);
  const set = (i: number, patch: Partial<ProductLine>) => setDraft((d) => d.map((l, n) => (n === i ? { ...l, ...patch } : l)));
  const total = draft.reduce((sum, l) => sum + lineTotal(l), 0);
  return (
    <form className="products" aria-label={t('products')} onSubmit={async (e) => {
      e.preventDefault();
      setBusy(true);
      try { await onSave(draft, auto); } finally { setBusy(false); }
    }}>
      <h3>{t('products')}</h3>
      <ul className="product-lines">
        {draft.map((l, i) => (
          <li key={i} className="product-line" data-testid="product-line">
            <label>{t('productName')}<input value={l.name} required maxLength={300} onChange={(e) => set(i, { name: e.target.value })} /></label>
            <label>{t('productPrice')}<input type="number" min={0} step="0.01" value={l.price} required onChange={(e) => set(i, { price: Number(e.target.value) })} /></label>
            <label>{t('productQuantity')}<input type="number" min={0.001} step="0.001" value={l.quantity} required onChange={(e) => set(i, { quantity: Number(e.target.value) })} /></label>
            <label>{t('productDiscount')}<input type="number" min={0} max={100} step="0.01" value={l.discount} onChange={(e) => set(i, { discount: Number(e.target.value) })} /></label>
            <span className="line-total">{money(lineTotal(l), locale, currency)}</span>
            <button type="button" className="link" aria-label={t('removeProduct', { n: i + 1 })} onClick={() => setDraft((d) => d.filter((_, n) => n !== i))}>✕</button>
          </li>
        ))}
      </ul>
      <div className="row wrap">
        <button type="button" onClick={() => setDraft((d) => [...d, { name: '', price: 0, quantity: 1, discount: 0 }])}>{t('addProduct')}</button>
        <label className="inline"><input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} /> {t('amountFromProducts')}</label>
        <span data-testid="products-total">{t('productTotal')}: {money(total, locale, currency)}</span>
        <button type="submit" className="primary" disabled={busy}>{t('saveProducts')}</button>
      </div>
    </form>
  );
}
