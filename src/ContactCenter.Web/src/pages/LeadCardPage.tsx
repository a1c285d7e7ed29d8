import { useState } from 'react';
import { SubjectActivities, useSubjectUpdates } from '../components/Activities';
import { CardFiles } from '../components/cards/CardFiles';
import { CardTimeline } from '../components/cards/CardTimeline';
import { catalogName, junkReasonName } from '../components/cards/cardTypes';
import { InlineEdit } from '../components/cards/InlineEdit';
import { ContactConversations } from '../components/cards/ContactConversations';
import { SourceLine } from '../components/cards/SourceLine';
import { ContactProfile } from '../components/ContactProfile';
import { CustomFieldsEditor } from '../components/fields/CustomFieldsEditor';
import { labelOf } from '../strings';
import { ResourceStatus } from '../components/Status';
import { useI18n } from '../i18n';
import { body, client, optionalId } from '../api/client';
import { useApiGet } from '../api/useApiGet';
import { explain } from '../lib/errors';
import { Link, useNavigate } from 'react-router';
import { sameId, type Id } from '../types';
import { useMe } from '../session';
import '../components/cards/cards.css';

/** `/leads/{id}`: status, junk with a reason, convert into a deal (with its contact), activities and the timeline. */
export function LeadCardPage({ id }: { id: string }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const params = { path: { id: Number(id) } };
  const lead = useApiGet('/api/leads/{id}', { params });
  const statuses = useApiGet('/api/lead-statuses');
  const reasons = useApiGet('/api/junk-reasons');
  const users = useApiGet('/api/users');
  const [error, setError] = useState<string | null>(null);
  const [junking, setJunking] = useState(false);
  const [reasonId, setReasonId] = useState('');
  const [profile, setProfile] = useState(false);
  useSubjectUpdates({ type: 'lead', id }, () => void lead.reload());
  const l = lead.data;
  // A colleague's lead this manager sees through a conversation: readable, not theirs to change (the server refuses).
  const me = useMe();
  const colleagues = !!l?.assignee && !sameId(l.assignee.id, me.id) && me.role !== 'admin' && me.role !== 'supervisor';
  const open = (l?.status === 'new' || l?.status === 'in_work') && !colleagues;

  async function run(action: () => Promise<void>) {
    try { setError(null); await action(); } catch (e) { setError(explain(e, t)); }
  }
  const setStatus = (value: string) => run(async () => {
    const statusId: Id | null = statuses.data?.find((s) => String(s.id) === value)?.id ?? null;
    const updated = await body(client.PATCH('/api/leads/{id}', { params, body: { statusId: optionalId(statusId) ?? null } }));
    lead.set(() => updated);
  });
  const junk = () => run(async () => {
    const reason = reasons.data?.find((r) => String(r.id) === reasonId);
    if (!reason) { setError(t('junkReasonPick')); return; }
    const updated = await body(client.POST('/api/leads/{id}/junk', { params, body: { junkReasonId: Number(reason.id) } }));
    lead.set(() => updated);
    setJunking(false);
  });
  const convert = () => run(async () => {
    const result = await body(client.POST('/api/leads/{id}/convert', { params, body: {} }));
    navigate(`/deals/${encodeURIComponent(String(result.dealId))}`);
  });

  return (
    <div className="page lead-card" data-testid="lead-card">
      <p><Link to="/leads">{t('cardBackLeads')}</Link></p>
      <ResourceStatus resource={lead} what="GET /api/leads/{id}" record />
      {l && (
        <>
          <header className="card-head">
            <InlineEdit label={t('title')} value={l.title} testId="lead-title-edit" readOnly={colleagues} onSave={(title) => run(async () => {
              const updated = await body(client.PATCH('/api/leads/{id}', { params, body: { title } }));
              lead.set(() => updated);
            })}>
              <h1>{l.title}</h1>
            </InlineEdit>
            <span className="pill" data-testid="lead-state">{labelOf(t, 'leadStatus_', l.status)}</span>
          </header>
          {colleagues && <p className="notice" role="status" data-testid="card-colleagues">{t('cardColleagues', { name: l.assignee?.name ?? '' })}</p>}
          {error && <p className="error" role="alert">{error}</p>}
          <div className="card-grid">
            <div className="card-main">
              <dl className="card-facts">
                <dt>{t('leadStatus')}</dt>
                <dd>
                  <select aria-label={t('leadStatus')} value={l.statusId != null ? String(l.statusId) : ''} disabled={!open}
                    onChange={(e) => void setStatus(e.target.value)}>
                    <option value="">{t('leadStatusNone')}</option>
                    {(statuses.data ?? []).map((s) => <option key={String(s.id)} value={String(s.id)}>{catalogName(s, lang)}</option>)}
                  </select>
                </dd>
                <dt>{t('assignee')}</dt>
                <dd>
                  <select aria-label={t('assignee')} value={l.assignee ? String(l.assignee.id) : ''} disabled={!open}
                    onChange={(e) => void run(async () => {
                      const updated = await body(client.PATCH('/api/leads/{id}', { params, body: { assigneeId: e.target.value ? Number(e.target.value) : null } }));
                      lead.set(() => updated);
                    })}>
                    <option value="">{t('unassigned')}</option>
                    {(users.data ?? []).map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
                  </select>
                </dd>
                <dt>{t('cardSource')}</dt>
                <dd><SourceLine source={l.source} details={l.sourceDetails} /></dd>
                <dt>{t('cardContact')}</dt>
                <dd>{l.contact && <button type="button" className="link" onClick={() => setProfile(true)}>{l.contact.name}</button>}</dd>
                {l.junkReason && <><dt>{t('junkReason')}</dt><dd data-testid="junk-reason">{junkReasonName(l, reasons.data, lang)}</dd></>}
              </dl>
              <CustomFieldsEditor entity="lead" values={l.fields} readOnly={!open} onChange={async (fields) => {
                const updated = await body(client.PATCH('/api/leads/{id}', { params, body: { fields } }));
                lead.set(() => updated);
              }} />
              {open && (
                <div className="row wrap">
                  <button type="button" className="primary" onClick={() => void convert()}>{t('convertLead')}</button>
                  <button type="button" className="danger" onClick={() => setJunking((v) => !v)} aria-expanded={junking}>{t('junkWithReason')}</button>
                </div>
              )}
              {junking && (
                <form className="row wrap" onSubmit={(e) => { e.preventDefault(); void junk(); }}>
                  <select aria-label={t('junkReasonPick')} value={reasonId} required onChange={(e) => setReasonId(e.target.value)}>
                    <option value="">{t('junkReasonPick')}</option>
                    {(reasons.data ?? []).map((r) => <option key={String(r.id)} value={String(r.id)}>{catalogName(r, lang)}</option>)}
                  </select>
                  <button type="submit" className="danger">{t('junkWithReason')}</button>
                </form>
              )}
              {l.status === 'converted' && l.dealId != null && <p className="notice">{t('convertedTo')}: <Link to={`/deals/${encodeURIComponent(String(l.dealId))}`}>{t('openCard')}</Link></p>}
              <SubjectActivities subject={{ type: 'lead', id: l.id }} open={open} onChanged={() => void lead.reload()} />
              {l.contact && <ContactConversations contactId={l.contact.id} subject={{ leadId: l.id }} />}
            </div>
            <div className="card-side">
              <CardTimeline subject={{ type: 'lead', id: l.id }} />
              <CardFiles subject={{ type: 'lead', id: l.id }} />
            </div>
          </div>
          {profile && l.contact && <ContactProfile contactId={l.contact.id} onClose={() => setProfile(false)} />}
        </>
      )}
    </div>
  );
}
