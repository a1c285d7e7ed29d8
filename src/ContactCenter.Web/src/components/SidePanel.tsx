import { useState } from 'react';
import { useI18n } from '../i18n';
import { body, client, optionalId, type Schemas } from '../api/client';
import { useApiGet } from '../api/useApiGet';
import { currencyChoices, currencyLabel } from '../lib/currency';
import { amountField, money, parseAmount } from '../lib/format';
import { ChannelIcon } from './Icons';
import { junkReasonName } from './cards/cardTypes';
import { LabelChips } from './labels/LabelChips';
import { sameId, type ConversationDetails, type Id } from '../types';
import { useMe } from '../session';
import { CallButton } from './CallView';
import { SubjectActivities, useSubjectUpdates, type Subject } from './Activities';
import { Timeline } from './SidePanelTimeline';
import { ResourceStatus } from './Status';
import { labelOf } from '../strings';
import { Link } from 'react-router';
import { CustomFieldsEditor } from './fields/CustomFieldsEditor';
import type { FieldValues } from './fields/fieldTypes';
import { catalogName } from './cards/cardTypes';

/** Beside the thread: the contact with all identities, and the linked lead or deal, editable in place. */
/**
 * `lastMessageId`: the open conversation's newest message as the inbox list has it (pushed live). A message or reply adds an
 * entry to the lead's or deal's timeline without changing the lead or deal, so the panel's timeline re-reads when it moves.
 */
export function SidePanel({ details, onDetails, lastMessageId }: { details: ConversationDetails | null; onDetails?: (d: ConversationDetails) => void; lastMessageId?: Id | null }) {
  const { t } = useI18n();
  if (!details) return <aside className="side" aria-label={t('details')} />;
  const c = details.contact;
  return (
    <aside className="side" aria-label={t('details')}>
      <section aria-labelledby="contact-h">
        <h3 id="contact-h">{t('contact')}</h3>
        {details.possibleDuplicate && <PossibleDuplicate details={details} onDetails={onDetails} />}
        <p className="contact-name-big">{c.name}</p>
        <LabelChips labels={c.labels} />
        <dl>
          {c.email && <><dt>{t('email')}</dt><dd>{c.email}</dd></>}
          {c.phone && <><dt>{t('phone')}</dt><dd>{c.phone}</dd></>}
        </dl>
        {(c.phone || c.identities.some((i) => i.channelKind === 'voice' || i.channelKind === 'sms')) && <CallButton contactId={c.id} />}
        {c.identities.length > 0 && (
          <>
            <h4>{t('identities')}</h4>
            <ul className="identities">
              {c.identities.map((i, n) => (
                <li key={n}><ChannelIcon kind={i.channelKind} /> <span className="muted">{i.channelKind}</span> {i.displayName ?? i.username ?? ''} <code>{i.address}</code></li>
              ))}
            </ul>
          </>
        )}
      </section>
      {details.dealId != null ? <DealPanel id={details.dealId} lastMessageId={lastMessageId} />
        : details.leadId != null ? <LeadPanel id={details.leadId} lastMessageId={lastMessageId} />
          : <p className="muted">{t('noLeadOrDeal')}</p>}
    </aside>
  );
}

/**
 * An unverified visitor whose email/phone belongs to another contact: never joined automatically (anyone can type an
 * email), offered to the manager to merge into that contact, which survives with this conversation moved onto it.
 */
export function PossibleDuplicate({ details, onDetails, onLater }: { details: ConversationDetails; onDetails?: (d: ConversationDetails) => void; onLater?: () => void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const other = details.possibleDuplicate!;
  async function merge() {
    try {
      setBusy(true);
      setError(null);
      await client.POST('/api/contacts/{id}/merge', { params: { path: { id: Number(other.contactId) } }, body: { otherContactId: Number(details.contact.id) } });
      const fresh = await body(client.GET('/api/conversations/{id}', { params: { path: { id: Number(details.id) } } }));
      if (fresh) onDetails?.(fresh);
    } catch (e) { setError((e as Error).message); } finally { setBusy(false); }
  }
  return (
    <div className="notice possible-duplicate" role="status">
      <p><strong>{t('possibleDuplicate', { name: other.name })}</strong></p>
      <p className="muted">{t('possibleDuplicateHint')}</p>
      <button type="button" className="primary" disabled={busy} onClick={() => void merge()}
        aria-label={t('mergeContactsLabel', { name: other.name })}>{busy ? t('merging') : t('mergeContacts')}</button>
      {onLater && <button type="button" onClick={onLater}>{t('later')}</button>}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** Saves custom field values (errors are shown beside the field by the editor). */
async function patchFields(subject: Subject, fields: FieldValues, reload: () => Promise<void>) {
  const options = { params: { path: { id: Number(subject.id) } }, body: { fields } };
  await (subject.type === 'deal' ? client.PATCH('/api/deals/{id}', options) : client.PATCH('/api/leads/{id}', options));
  await reload();
}

function DealPanel({ id, lastMessageId }: { id: Id; lastMessageId?: Id | null }) {
  const { t, locale, lang } = useI18n();
  const deal = useApiGet('/api/deals/{id}', { params: { path: { id: Number(id) } } });
  const pipelines = useApiGet('/api/pipelines');
  const users = useApiGet('/api/users');
  const reasons = useApiGet('/api/loss-reasons');
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);
  const [lostStage, setLostStage] = useState<string | null>(null);
  const [reasonId, setReasonId] = useState('');
  const me = useMe();
  const d = deal.data;
  useSubjectUpdates({ type: 'deal', id }, () => void deal.reload());

  async function patch(changes: Schemas['DealPatch']) {
    try {
      setError(null);
      const updated = await body(client.PATCH('/api/deals/{id}', { params: { path: { id: Number(id) } }, body: changes }));
      if (updated) deal.set(() => updated);
      void deal.reload();
    } catch (e) { setError((e as Error).message); }
  }
  async function close(outcome: 'won' | 'lost') {
    try {
      setError(null);
      await body(client.POST('/api/deals/{id}/close', { params: { path: { id: Number(id) } }, body: {
        outcome, lossReasonId: outcome === 'lost' && reasonId ? optionalId(reasons.data?.find((r) => String(r.id) === reasonId)?.id) : undefined,
        stageId: outcome === 'lost' && lostStage ? Number(lostStage) : undefined,
      } }));
      setClosing(false);
      setLostStage(null);
      void deal.reload();
    } catch (e) { setError((e as Error).message); }
  }

  const pipeline = pipelines.data?.find((p) => String(p.id) === String(d?.pipelineId));
  const stageId = d?.stage.id;
  // A colleague's deal seen through this conversation: readable, not the caller's to change (the server refuses), as on its card.
  const colleagues = !!d?.assignee && !sameId(d.assignee.id, me.id) && me.role !== 'admin' && me.role !== 'supervisor';
  function pickStage(value: string) {
    // A lost stage needs a reason, as on the board and the card: ask, then close as lost in that stage.
    if (pipeline?.stages.find((s) => String(s.id) === value)?.semantic === 'lost') { setLostStage(value); setClosing(true); return; }
    void patch({ stageId: Number(value) });
  }
  // A colleague's deal (the caller was mentioned into the conversation): said so, no card link that leads nowhere.
  if (deal.notAvailable) return <NotYours what={t('deal')} />;
  return (
    <section aria-labelledby="deal-h">
      <h3 id="deal-h">{t('deal')} <Link to={`/deals/${encodeURIComponent(String(id))}`} className="open-card">{t('openCard')}</Link></h3>
      <ResourceStatus resource={deal} what="GET /api/deals/{id}" record />
      {d && (
        <>
          {colleagues && <p className="notice" role="status" data-testid="panel-colleagues">{t('cardColleagues', { name: d.assignee?.name ?? '' })}</p>}
          <EditableText label={t('title')} value={d.title} readOnly={colleagues} onSave={(title) => patch({ title })} />
          <label className="field">{t('stage')}
            <select value={lostStage ?? String(stageId ?? '')} disabled={!!d.closedAt || colleagues}
              onChange={(e) => pickStage(e.target.value)}>
              {(pipeline?.stages ?? [d.stage]).map((s) => <option key={String(s.id)} value={String(s.id)}>{s.name}</option>)}
            </select>
          </label>
          <EditableText label={t('amount')} value={String(d.amount ?? 0)} type="amount" display={money(d.amount, locale, d.currency)}
            readOnly={colleagues || !!d.amountFromProducts} onSave={(v) => patch({ amount: Number(v) })} />
          <label className="field">{t('currency')}
            <select value={d.currency} disabled={colleagues} onChange={(e) => void patch({ currency: e.target.value })}>
              {currencyChoices(d.currency).map((c) => <option key={c} value={c}>{currencyLabel(c, locale)}</option>)}
            </select>
          </label>
          <label className="field">{t('assignee')}
            <select value={d.assignee ? String(d.assignee.id) : ''} disabled={colleagues}
              onChange={(e) => void patch({ assigneeId: e.target.value ? Number(e.target.value) : null })}>
              <option value="">{t('unassigned')}</option>
              {(users.data ?? []).map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
            </select>
          </label>
          {d.closedAt ? <p className="notice">{t('closedAs', { outcome: labelOf(t, 'outcome_', d.outcome ?? '') })}{d.lossReason ? ` — ${catalogName(d.lossReason, lang)}` : ''}</p> : !colleagues && (
            <div className="row">
              <button type="button" className="ok" onClick={() => void close('won')}>{t('closeWon')}</button>
              <button type="button" className="danger" onClick={() => setClosing((v) => !v)} aria-expanded={closing}>{t('closeLost')}</button>
            </div>
          )}
          {closing && (
            <div className="row">
              <select aria-label={t('lossReason')} value={reasonId} onChange={(e) => setReasonId(e.target.value)}>
                <option value="">{t('lossReason')}…</option>
                {(reasons.data ?? []).map((r) => <option key={String(r.id)} value={String(r.id)}>{catalogName(r, lang)}</option>)}
              </select>
              <button type="button" className="danger" disabled={!reasonId} onClick={() => void close('lost')}>{t('closeLost')}</button>
              <button type="button" onClick={() => { setClosing(false); setLostStage(null); }}>{t('cancel')}</button>
            </div>
          )}
          <CustomFieldsEditor entity="deal" values={d.fields} pipelineId={d.pipelineId} readOnly={colleagues} onChange={(fields) => patchFields({ type: 'deal', id }, fields, () => deal.reload())} />
          <SubjectActivities subject={{ type: 'deal', id: d.id }} open={!d.closedAt && !colleagues} onChanged={() => void deal.reload()} />
          <Timeline subject={{ type: 'deal', id }} lastMessageId={lastMessageId} />
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}

function NotYours({ what }: { what: string }) {
  const { t } = useI18n();
  return (
    <section>
      <h3>{what}</h3>
      <p className="muted" data-testid="crm-not-yours">{t('crmNotYours')}</p>
    </section>
  );
}

function LeadPanel({ id, lastMessageId }: { id: Id; lastMessageId?: Id | null }) {
  const { t, lang } = useI18n();
  const lead = useApiGet('/api/leads/{id}', { params: { path: { id: Number(id) } } });
  const reasons = useApiGet('/api/junk-reasons');
  const [error, setError] = useState<string | null>(null);
  const [junking, setJunking] = useState(false);
  const [reason, setReason] = useState('');
  const l = lead.data;
  useSubjectUpdates({ type: 'lead', id }, () => void lead.reload());

  async function act(action: () => Promise<unknown>) {
    try { setError(null); await action(); setJunking(false); void lead.reload(); } catch (e) { setError((e as Error).message); }
  }
  const params = { path: { id: Number(id) } };
  const me = useMe();
  const colleagues = !!l?.assignee && !sameId(l.assignee.id, me.id) && me.role !== 'admin' && me.role !== 'supervisor';
  const open = l && (l.status === 'new' || l.status === 'in_work') && !colleagues;
  // Converted: the conversation now belongs to the deal, shown in the lead's place.
  if (l?.status === 'converted' && l.dealId != null) return <DealPanel id={l.dealId} lastMessageId={lastMessageId} />;
  // A colleague's lead (the caller was mentioned into the conversation): said so, no card link that leads nowhere.
  if (lead.notAvailable) return <NotYours what={t('lead')} />;
  return (
    <section aria-labelledby="lead-h">
      <h3 id="lead-h">{t('lead')} <Link to={`/leads/${encodeURIComponent(String(id))}`} className="open-card">{t('openCard')}</Link></h3>
      <ResourceStatus resource={lead} what="GET /api/leads/{id}" record />
      {l && (
        <>
          {colleagues && <p className="notice" role="status" data-testid="panel-colleagues">{t('cardColleagues', { name: l.assignee?.name ?? '' })}</p>}
          <p><strong>{l.title}</strong> <span className="pill">{labelOf(t, 'leadStatus_', l.status)}</span></p>
          {l.junkReason && <p className="muted">{junkReasonName(l, reasons.data, lang)}</p>}
          {open && (
            <div className="row">
              <button type="button" className="primary" onClick={() => void act(() => client.POST('/api/leads/{id}/convert', { params, body: {} }))}>{t('convert')}</button>
              <button type="button" onClick={() => setJunking((v) => !v)} aria-expanded={junking}>{t('junk')}</button>
            </div>
          )}
          {junking && (
            <form className="row" onSubmit={(e) => { e.preventDefault(); void act(() => client.POST('/api/leads/{id}/junk', { params, body: { reason } })); }}>
              <input aria-label={t('junkReason')} placeholder={t('junkReason')} value={reason} onChange={(e) => setReason(e.target.value)} required />
              <button type="submit" className="danger">{t('junk')}</button>
            </form>
          )}
          <CustomFieldsEditor entity="lead" values={l.fields} readOnly={!open} onChange={(fields) => patchFields({ type: 'lead', id }, fields, () => lead.reload())} />
          <SubjectActivities subject={{ type: 'lead', id: l.id }} open={!!open} onChanged={() => void lead.reload()} />
          <Timeline subject={{ type: 'lead', id }} lastMessageId={lastMessageId} />
        </>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </section>
  );
}

/** A value shown as a button that turns into an input; `display` is how the value reads when not edited (e.g. formatted money). */
function EditableText({ label, value, onSave, type = 'text', display, step, readOnly }: {
  label: string; value: string; onSave: (v: string) => Promise<void> | void; type?: string; display?: string; step?: string; readOnly?: boolean;
}) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value);
  if (readOnly) {
    return <div className="field"><span className="label">{label}</span> <span>{display ?? value}</span></div>;
  }
  if (!editing) {
    return (
      <div className="field editable">
        <span className="label">{label}</span>
        <button type="button" className="link" onClick={() => { setDraft(value); setEditing(true); }} aria-label={`${t('edit')} ${label}`}>
          {display ?? value} ✎
        </button>
      </div>
    );
  }
  return (
    <form className="field" onSubmit={(e) => {
      e.preventDefault();
      const saved = type === 'amount' ? parseAmount(draft) : draft; // either separator (the pattern refused anything else)
      setEditing(false);
      if (saved !== null) void onSave(saved);
    }}>
      <label>{label} <input {...(type === 'amount' ? { ...amountField(t('amountHint')), required: true } : { type })} step={step} value={draft} autoFocus onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Escape') setEditing(false); }} /></label>
      <button type="submit">{t('save')}</button>
      <button type="button" onClick={() => setEditing(false)}>{t('cancel')}</button>
    </form>
  );
}
