import { useEffect, useMemo, useState } from 'react';
import { showValue } from '../../components/fields/fieldTypes';
import { useCustomFields } from '../../components/fields/useCustomFields';
import { useI18n } from '../../i18n';
import { money, parseAmount, shortTime } from '../../lib/format';
import { useHubEvent } from '../../live';
import { Link } from 'react-router';
import type { StringKey } from '../../strings';
import type { DealCard } from '../../types';
import { ColumnChooser } from './ColumnChooser';
import { AssigneeAndCreated, DateFilter, OverdueFilter } from './CommonFilters';
import { DealBulkBar } from './DealBulkBar';
import { FieldFilters } from './FieldFilters';
import { downloadCsv, listParams, useColumns } from './listQuery';
import { ListTable } from './ListTable';
import { SelectMatching, useSelection } from './selection';
import { StageProgress } from './StageProgress';
import './lists.css';
import { useCursorPages } from '../../api/useCursorPages';
import { explain } from '../../lib/errors';
import { useApiGet } from '../../api/useApiGet';

type Row = DealCard & { fields?: Record<string, never>; source?: string | null; closedAt?: string | null; createdAt?: string; updatedAt?: string | null };
const sortable = ['amount', 'created', 'updated', 'closed'];

/** /deals/list: the deals as a table with filters, sort, a column choice, bulk actions and CSV export of the filtered rows. */
export function DealListPage() {
  const { t, locale } = useI18n();
  const pipelines = useApiGet('/api/pipelines');
  const users = useApiGet('/api/users');
  const defs = useCustomFields('deal');
  const [filters, setFilters] = useState<Record<string, string>>({ pipelineId: '', state: 'open' });
  const [sort, setSort] = useState('-created');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!filters.pipelineId && pipelines.data?.length) {
      setFilters((f) => ({ ...f, pipelineId: String((pipelines.data!.find((p) => p.isDefault) ?? pipelines.data![0]).id) }));
    }
  }, [pipelines.data, filters.pipelineId]);
  const params = useMemo(() => listParams(filters, sort), [filters, sort]);
  // Read once the pipeline is known: without it the first page would be every pipeline's, flashing up then replaced.
  const list = useCursorPages<Row>('/api/deals', params, 50, filters.pipelineId !== '');
  const selection = useSelection(list.items, params.toString());
  useHubEvent('dealUpdated', () => list.reloadSoon());
  useHubEvent('dealRemoved', () => list.reloadSoon());
  const pipeline = pipelines.data?.find((p) => String(p.id) === filters.pipelineId);
  const fields = (defs.data ?? []).filter((f) => f.pipelineId == null || String(f.pipelineId) === filters.pipelineId);

  const all = [
    { key: 'title', label: t('title') }, { key: 'stage', label: t('stage') }, { key: 'amount', label: t('amount') },
    { key: 'assignee', label: t('assignee') }, { key: 'contact', label: t('contact') }, { key: 'source', label: t('source') },
    { key: 'created', label: t('createdAt') }, { key: 'updated', label: t('updatedAt') }, { key: 'closed', label: t('closedAt') },
    ...fields.map((f) => ({ key: `field.${f.key}`, label: f.label })),
  ];
  const { columns, toggle } = useColumns('cc.dealList.columns', ['title', 'stage', 'amount', 'assignee', 'contact', 'created']);
  const shown = all.filter((c) => c.key === 'title' || columns.includes(c.key));
  const set = (key: string, value: string) => { selection.clear(); setFilters((f) => ({ ...f, [key]: value })); };

  function cell(d: Row, key: string) {
    switch (key) {
      case 'title': return <Link to={`/deals/${encodeURIComponent(String(d.id))}`}>{d.title}</Link>;
      case 'stage': return <StageProgress pipeline={pipeline ?? pipelines.data?.find((p) => String(p.id) === String(d.pipelineId))} stageId={d.stageId} outcome={d.outcome} />;
      case 'amount': return money(d.amount, locale, d.currency);
      case 'assignee': return d.assignee?.name ?? t('unassigned');
      case 'contact': return d.contact?.name ?? '';
      case 'source': return d.source ?? '';
      case 'created': return d.createdAt ? shortTime(d.createdAt, locale) : '';
      case 'updated': return d.updatedAt ? shortTime(d.updatedAt, locale) : '';
      case 'closed': return d.closedAt ? shortTime(d.closedAt, locale) : '';
      default: return showValue((d.fields as Record<string, never> | undefined)?.[key.slice(6)], t('yes'), t('no'));
    }
  }

  return (
    <div className="page list-view" data-testid="deal-list">
      <div className="page-head">
        <h1>{t('dealList')}</h1>
        <Link to="/deals">{t('boardView')}</Link>
        <ColumnChooser all={all.filter((c) => c.key !== 'title')} visible={columns} onToggle={toggle} />
        <button type="button" onClick={() => { setError(null); downloadCsv('/api/deals', params, 'deals.csv').catch((e: Error) => setError(e.message)); }}>{t('exportCsv')}</button>
      </div>
      <form className="filter-bar" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <label className="filter">{t('pipeline')}
          <select value={filters.pipelineId} onChange={(e) => { set('pipelineId', e.target.value); set('stageId', ''); }}>
            {(pipelines.data ?? []).map((p) => <option key={String(p.id)} value={String(p.id)}>{p.name}</option>)}
          </select>
        </label>
        <label className="filter">{t('stage')}
          <select value={filters.stageId ?? ''} onChange={(e) => set('stageId', e.target.value)}>
            <option value="">{t('any')}</option>
            {(pipeline?.stages ?? []).map((s) => <option key={String(s.id)} value={String(s.id)}>{s.name}</option>)}
          </select>
        </label>
        <label className="filter">{t('dealState')}
          <select value={filters.state ?? ''} onChange={(e) => set('state', e.target.value)}>
            <option value="">{t('any')}</option>
            <option value="open">{t('stateOpen')}</option><option value="won">{t('stateWon')}</option><option value="lost">{t('stateLost')}</option>
          </select>
        </label>
        <AmountFilter label={t('minAmount')} value={filters.minAmount} onSet={(v) => set('minAmount', v)} />
        <AmountFilter label={t('maxAmount')} value={filters.maxAmount} onSet={(v) => set('maxAmount', v)} />
        <AssigneeAndCreated filters={filters} set={set} users={users.data ?? []} />
        <DateFilter filters={filters} set={set} name="closedFrom" label={t('closedFrom')} />
        <DateFilter filters={filters} set={set} name="closedTo" label={t('closedTo')} />
        <OverdueFilter filters={filters} set={set} />
        <label className="filter">{t('sortBy')}
          <select value={sort} onChange={(e) => setSort(e.target.value)}>
            {sortable.flatMap((k) => [`-${k}`, k]).map((s) => <option key={s} value={s}>{t(`sort_${s.replace('-', 'desc_')}` as StringKey)}</option>)}
          </select>
        </label>
        <FieldFilters fields={fields} filters={filters} onChange={set} />
      </form>
      <DealBulkBar rows={selection.chosen.map((d) => ({ id: d.id, name: d.title }))} pipeline={pipeline} users={users.data ?? []}
        onDone={() => { selection.clear(); void list.reload(); }} />
      <SelectMatching selection={selection} list={list} />
      {(error || list.error != null) && <p className="error" role="alert">{error ?? explain(list.error, t)}</p>}
      <ListTable kind="deal" shown={shown} sortable={sortable} sort={sort} onSort={setSort} items={list.items} selection={selection}
        cell={cell} empty={t('noDeals')} hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </div>
  );
}

/**
 * An amount bound: applied on Enter as well as when the field is left (Enter did nothing), typed with either decimal
 * separator (a number field in a Russian browser dropped the comma). What is not an amount is sent as typed, for the
 * server's 400 to name.
 */
function AmountFilter({ label, value, onSet }: { label: string; value: string | undefined; onSet: (value: string) => void }) {
  const apply = (text: string) => onSet(text.trim() === '' ? '' : parseAmount(text) ?? text);
  return (
    <label className="filter">{label}
      <input inputMode="decimal" defaultValue={value} onBlur={(e) => apply(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter') apply(e.currentTarget.value); }} />
    </label>
  );
}
