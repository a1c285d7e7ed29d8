import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n';
import { amountField, parseAmount } from '../../lib/format';
import { body, client, type Schemas } from '../../api/client';
import { ApiError } from '../../lib/api';
import { currencyChoices, currencyLabel } from '../../lib/currency';
import { useApiGet } from '../../api/useApiGet';
import { explain } from '../../lib/errors';
import { useNavigate } from 'react-router';
import type { Pipeline } from '../../types';
import { Dialog } from '../Dialog';

type ContactHit = Schemas['ContactHit'];

/**
 * "New deal" / "New lead": a seller's own record (a cold call, a business card), with a contact picked from the
 * contacts the caller may see or typed in; the new record is the caller's and opens on its card page.
 */
export function CreateDialog({ kind, pipeline, onClose }: { kind: 'deal' | 'lead'; pipeline?: Pipeline | null; onClose: () => void }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [amount, setAmount] = useState('');
  // The installation's currency (an admin's CRM setting) until the seller picks another, and the deal gets the currency
  // shown: it is sent once known. Before the setting has loaded (or when it cannot be read) the select says "the
  // installation's currency" and sends none, so the server puts its own; it never claims a currency it does not send.
  const defaults = useApiGet(kind === 'deal' ? '/api/crm/defaults' : null);
  const [chosen, setChosen] = useState<string | null>(null);
  const currency = chosen ?? defaults.data?.currency ?? null;
  const openStages = (pipeline?.stages ?? []).filter((s) => s.semantic === 'open').sort((a, b) => a.order - b.order);
  const [stageId, setStageId] = useState(openStages[0] ? String(openStages[0].id) : '');
  const [mode, setMode] = useState<'new' | 'pick'>('new');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<ContactHit[] | null>(null);
  const [picked, setPicked] = useState<ContactHit | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The contacts list (GET /api/contacts?q=) belongs to the contacts screen; without it only "new contact" is offered.
  useEffect(() => {
    if (mode !== 'pick' || q.trim().length < 2) { setHits(null); return; }
    const ctl = new AbortController();
    const timer = window.setTimeout(() => {
      body(client.GET('/api/contacts', { params: { query: { q: q.trim() } }, signal: ctl.signal }))
        .then((r) => setHits(r.items))
        .catch((e) => { if (e instanceof ApiError) setHits([]); });
    }, 250);
    return () => { window.clearTimeout(timer); ctl.abort(); };
  }, [mode, q]);

  async function submit() {
    const contact = mode === 'pick' ? (picked ? { id: Number(picked.id) } : null)
      : { name: name.trim() || undefined, email: email.trim() || undefined, phone: phone.trim() || undefined };
    setBusy(true);
    try {
      setError(null);
      if (kind === 'deal') {
        const stage = openStages.find((s) => String(s.id) === stageId);
        const deal = await body(client.POST('/api/deals', {
          body: { title, amount: amount.trim() ? Number(parseAmount(amount)) : undefined, currency: currency ?? undefined, pipelineId: pipeline && Number(pipeline.id), stageId: stage && Number(stage.id), contact: contact ?? undefined },
        }));
        navigate(`/deals/${encodeURIComponent(String(deal.id))}`);
      } else {
        const lead = await body(client.POST('/api/leads', { body: { title: title || undefined, contact } }));
        navigate(`/leads/${encodeURIComponent(String(lead.id))}`);
      }
      onClose();
    } catch (e) { setError(explain(e, t)); setBusy(false); }
  }

  return (
    <Dialog title={t(kind === 'deal' ? 'createDealTitle' : 'createLeadTitle')} onClose={onClose}>
      <form className="create-dialog" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label className="field">{t('title')}<input value={title} required={kind === 'deal'} maxLength={500} onChange={(e) => setTitle(e.target.value)} /></label>
        {kind === 'deal' && (
          <>
            <label className="field">{t('amount')}<input {...amountField(t('amountHint'))} value={amount} onChange={(e) => setAmount(e.target.value)} data-testid="new-deal-amount" /></label>
            <label className="field">{t('currency')}
              <select value={currency ?? ''} onChange={(e) => setChosen(e.target.value || null)} data-testid="new-deal-currency">
                {currency === null && <option value="">{t('currencyInstallation')}</option>}
                {currencyChoices(currency).map((c) => <option key={c} value={c}>{currencyLabel(c, locale)}</option>)}
              </select>
            </label>
            {openStages.length > 0 && (
              <label className="field">{t('stage')}
                <select value={stageId} onChange={(e) => setStageId(e.target.value)}>
                  {openStages.map((s) => <option key={String(s.id)} value={String(s.id)}>{s.name}</option>)}
                </select>
              </label>
            )}
          </>
        )}
        <fieldset>
          <legend>{t('cardContact')}</legend>
          <label className="inline"><input type="radio" name="contact-mode" checked={mode === 'new'} onChange={() => setMode('new')} /> {t('contactNew')}</label>
          <label className="inline"><input type="radio" name="contact-mode" checked={mode === 'pick'} onChange={() => setMode('pick')} /> {t('contactPick')}</label>
          {mode === 'new' ? (
            <>
              <label className="field">{t('contactName')}<input value={name} maxLength={200} onChange={(e) => setName(e.target.value)} /></label>
              <label className="field">{t('contactEmail')}<input type="text" inputMode="email" value={email} onChange={(e) => setEmail(e.target.value)} /></label>
              <label className="field">{t('contactPhone')}<input type="tel" value={phone} placeholder={t('phoneExample')} onChange={(e) => setPhone(e.target.value)} /></label>
            </>
          ) : (
            <>
              <label className="field">{t('contactSearch')}<input type="search" value={q} onChange={(e) => { setQ(e.target.value); setPicked(null); }} /></label>
              <ul className="contact-hits">
                {(hits ?? []).map((h) => (
                  <li key={String(h.id)}>
                    <label className="inline"><input type="radio" name="contact-hit" checked={picked?.id === h.id} onChange={() => setPicked(h)} />
                      {' '}{h.name} <span className="muted">{[h.email, h.phone].filter(Boolean).join(' · ')}</span></label>
                  </li>
                ))}
              </ul>
            </>
          )}
        </fieldset>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="row">
          <button type="button" onClick={onClose}>{t('cancel')}</button>
          <button type="submit" className="primary" disabled={busy}>{t('create')}</button>
        </div>
      </form>
    </Dialog>
  );
}
