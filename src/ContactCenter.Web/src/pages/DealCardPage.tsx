import { catalogName } from '../components/cards/cardTypes';
import { useState } from 'react';
import { SubjectActivities, useSubjectUpdates, type ActivityChange } from '../components/Activities';
import { CardFiles } from '../components/cards/CardFiles';
import { CardTimeline } from '../components/cards/CardTimeline';
import type { ProductLine } from '../components/cards/cardTypes';
import { ContactConversations } from '../components/cards/ContactConversations';
import { InlineEdit } from '../components/cards/InlineEdit';
import { PlanNextDialog } from '../components/cards/PlanNextDialog';
import { ProductsEditor } from '../components/cards/ProductsEditor';
import { SourceLine } from '../components/cards/SourceLine';
import { StageBar } from '../components/cards/StageBar';
import { CompanyPicker } from '../components/CompanyPicker';
import { ContactProfile } from '../components/ContactProfile';
import { CustomFieldsEditor } from '../components/fields/CustomFieldsEditor';
import { ResourceStatus } from '../components/Status';
import { useI18n } from '../i18n';
import { body, client, type Schemas } from '../api/client';
import { useApiGet } from '../api/useApiGet';
import { currencyChoices, currencyLabel } from '../lib/currency';
import { explain } from '../lib/errors';
import { money } from '../lib/format';
import { Link } from 'react-router';
import { sameId, type Stage } from '../types';
import { useMe } from '../session';
import { LossDialog } from './DealsPage';
import { labelOf } from '../strings';
import '../components/cards/cards.css';

/** `/deals/{id}`: the whole deal on one page (issue #17). */
export function DealCardPage({ id }: { id: string }) {
  const { t, locale, lang } = useI18n();
  const deal = useApiGet('/api/deals/{id}', { params: { path: { id: Number(id) } } });
  const pipelines = useApiGet('/api/pipelines');
  const users = useApiGet('/api/users');
  const [error, setError] = useState<string | null>(null);
  const [losing, setLosing] = useState<Stage | null>(null);
  const [profile, setProfile] = useState(false);
  const [planNext, setPlanNext] = useState(false);
  // A manager who hands the deal to a colleague (or leaves it unassigned) may no longer see it: the card says what they
  // did, not "no such record".
  const [handedTo, setHandedTo] = useState<string | null>(null);
  useSubjectUpdates({ type: 'deal', id }, () => void deal.reload());
  const d = deal.data;
  // A colleague's deal this manager sees through a conversation: readable, not theirs to change (the server refuses).
  const me = useMe();
  const colleagues = !!d?.assignee && !sameId(d.assignee.id, me.id) && me.role !== 'admin' && me.role !== 'supervisor';
  const pipeline = pipelines.data?.find((p) => String(p.id) === String(d?.pipelineId));

  const params = { path: { id: Number(id) } };
  async function patch(changes: Schemas['DealPatch']) {
    try {
      setError(null);
      const updated = await body(client.PATCH('/api/deals/{id}', { params, body: changes }));
      deal.set(() => updated);
    } catch (e) { setError(explain(e, t)); }
  }

  function pick(stage: Stage) {
    const lost = pipeline?.stages.filter((s) => s.semantic === 'lost') ?? [];
    // One lost stage says nothing about why: ask (several lost stages each are a reason of their own).
    if (stage.semantic === 'lost' && lost.length === 1) { setLosing(stage); return; }
    void patch({ stageId: Number(stage.id) });
  }

  // Completing an activity that leaves nothing planned asks what is next. The decision rests on what this manager just did
  // and the deal as read after it, not on a value remembered from an earlier read: the hub's dealUpdated for the same
  // completion may reload the deal before this runs.
  async function activitiesChanged(change: ActivityChange) {
    try {
      const fresh = await body(client.GET('/api/deals/{id}', { params }));
      deal.set(() => fresh);
      if (change === 'completed' && !fresh.nextActivity && !fresh.closedAt) setPlanNext(true);
    } catch (e) { setError(explain(e, t)); }
  }

  return (
    <div className="page deal-card" data-testid="deal-card">
      <p><Link to="/deals">{t('cardBack')}</Link></p>
      {handedTo && deal.notAvailable
        ? <p className="notice" role="status" data-testid="deal-handed-over">{handedTo}</p>
        : <ResourceStatus resource={deal} what="GET /api/deals/{id}" record />}
      {d && (
        <>
          <header className="card-head">
            <InlineEdit label={t('title')} value={d.title} testId="deal-title-edit" readOnly={colleagues} onSave={(title) => patch({ title })}>
              <h1>{d.title}</h1>
            </InlineEdit>
            <InlineEdit label={t('amount')} value={String(d.amount ?? 0)} type="amount" testId="deal-amount-edit"
              readOnly={!!d.amountFromProducts || colleagues} readOnlyHint={d.amountFromProducts ? t('amountFromProducts') : undefined} onSave={(v) => patch({ amount: Number(v) })}>
              <span className="card-amount" data-testid="deal-amount">{money(d.amount, locale, d.currency)}</span>
            </InlineEdit>
            {d.closedAt && <span className={`pill ${d.outcome === 'won' ? 'ok' : 'danger'}`}>{t('closedAs', { outcome: labelOf(t, 'outcome_', d.outcome ?? '') })}{d.lossReason ? ` — ${catalogName(d.lossReason, lang)}` : ''}</span>}
          </header>
          {colleagues && <p className="notice" role="status" data-testid="card-colleagues">{t('cardColleagues', { name: d.assignee?.name ?? '' })}</p>}
          {pipeline && <StageBar stages={pipeline.stages} current={d.stage.id} closed={!!d.closedAt || colleagues} onPick={pick} />}
          {d.closedAt && !colleagues && <button type="button" onClick={async () => {
            try { await client.POST('/api/deals/{id}/reopen', { params, body: {} }); void deal.reload(); } catch (e) { setError(explain(e, t)); }
          }}>{t('reopen')}</button>}
          {error && <p className="error" role="alert">{error}</p>}
          <div className="card-grid">
            <div className="card-main">
              <dl className="card-facts">
                <dt>{t('assignee')}</dt>
                <dd>
                  <select aria-label={t('assignee')} value={d.assignee ? String(d.assignee.id) : ''} disabled={colleagues}
                    onChange={(e) => {
                      const to = (users.data ?? []).find((u) => String(u.id) === e.target.value);
                      setHandedTo(me.role !== 'manager' ? null
                        : e.target.value === '' ? t('dealLeftUnassigned')
                          : to && !sameId(to.id, me.id) ? t('dealHandedTo', { name: to.name }) : null);
                      void patch({ assigneeId: e.target.value ? Number(e.target.value) : null });
                    }}>
                    <option value="">{t('unassigned')}</option>
                    {(users.data ?? []).map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
                  </select>
                </dd>
                <dt>{t('currency')}</dt>
                <dd>
                  <select aria-label={t('currency')} value={d.currency} data-testid="deal-currency" disabled={colleagues}
                    onChange={(e) => void patch({ currency: e.target.value })}>
                    {currencyChoices(d.currency).map((c) => <option key={c} value={c}>{currencyLabel(c, locale)}</option>)}
                  </select>
                </dd>
                <dt>{t('cardSource')}</dt>
                <dd><SourceLine source={d.source} details={d.sourceDetails} /></dd>
                <dt>{t('cardContact')}</dt>
                <dd>{d.contact
                  ? <><button type="button" className="link" onClick={() => setProfile(true)}>{d.contact.name}</button>{' '}
                    <span className="muted">{[d.contact.email, d.contact.phone].filter(Boolean).join(' · ')}</span></>
                  : <span className="muted">{t('cardNoContact')}</span>}</dd>
                <dt>{t('contactCompany')}</dt>
                <dd data-testid="deal-company"><CompanyPicker companyId={d.companyId} companyName={d.companyName} disabled={colleagues}
                  onPick={async (companyId) => {
                    const updated = await body(client.PATCH('/api/deals/{id}', { params, body: { companyId } }));
                    deal.set(() => updated);
                  }} /></dd>
                {d.parentDealId != null && <>
                  <dt>{t('cardParentDeal')}</dt>
                  <dd><Link to={`/deals/${encodeURIComponent(String(d.parentDealId))}`}>#{String(d.parentDealId)}</Link></dd>
                </>}
              </dl>
              <CustomFieldsEditor entity="deal" values={d.fields} pipelineId={d.pipelineId} readOnly={colleagues} onChange={async (fields) => {
                const updated = await body(client.PATCH('/api/deals/{id}', { params, body: { fields } }));
                deal.set(() => updated);
              }} />
              <fieldset className="bare" disabled={colleagues}>
              <ProductsEditor lines={d.products ?? []} fromProducts={!!d.amountFromProducts} currency={d.currency ?? 'USD'}
                onSave={(lines: ProductLine[], fromProducts: boolean) => patch({ products: lines, amountFromProducts: fromProducts })} />
              </fieldset>
              <SubjectActivities subject={{ type: 'deal', id: d.id }} open={!d.closedAt && !colleagues} onChanged={(change) => void activitiesChanged(change)} />
              {d.contact && <ContactConversations contactId={d.contact.id} subject={{ dealId: d.id }} />}
            </div>
            <div className="card-side">
              <CardTimeline subject={{ type: 'deal', id: d.id }} />
              <CardFiles subject={{ type: 'deal', id: d.id }} />
            </div>
          </div>
          {losing && <LossDialog deal={d} onCancel={() => setLosing(null)} onLose={async (lossReasonId) => {
            await client.POST('/api/deals/{id}/close', { params: { path: { id: Number(id) } }, body: { outcome: 'lost', lossReasonId: Number(lossReasonId), stageId: Number(losing.id) } });
            setLosing(null);
            void deal.reload();
          }} />}
          {planNext && <PlanNextDialog deal={d} onDone={() => { setPlanNext(false); void deal.reload(); }} />}
          {profile && d.contact && <ContactProfile contactId={d.contact.id} onClose={() => setProfile(false)} />}
        </>
      )}
    </div>
  );
}
