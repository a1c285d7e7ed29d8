import { useMemo, useState } from 'react';
import { showValue } from '../../components/fields/fieldTypes';
import { useCustomFields } from '../../components/fields/useCustomFields';
import { useI18n } from '../../i18n';
import { shortTime } from '../../lib/format';
import { useHubEvent } from '../../live';
import { Link } from 'react-router';
import type { StringKey } from '../../strings';
import type { Lead } from '../../types';
import { ColumnChooser } from './ColumnChooser';
import { AssigneeAndCreated, OverdueFilter } from './CommonFilters';
import { FieldFilters } from './FieldFilters';
import { LeadBulkBar } from './LeadBulkBar';
import { downloadCsv, listParams, useColumns } from './listQuery';
import { ListTable } from './ListTable';
import { SelectMatching, useSelection } from './selection';
import './lists.css';
import { useCursorPages } from '../../api/useCursorPages';
import { explain } from '../../lib/errors';
import { useApiGet } from '../../api/useApiGet';

type Row = Lead & { fields?: Record<string, never>; source?: string | null; createdAt?: string; updatedAt?: string };

/** /leads: the leads as a table with filters, sort, a column choice, bulk actions and CSV export of the filtered rows. */
export function LeadListPage() {
  const { t, locale } = useI18n();
  const users = useApiGet('/api/users');
  const defs = useCustomFields('lead');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const [sort, setSort] = useState('-created');
  const [error, setError] = useState<string | null>(null);
  const params = useMemo(() => listParams(filters, sort), [filters, sort]);
  const list = useCursorPages<Row>('/api/leads', params);
  const selection = useSelection(list.items, params.toString());
  useHubEvent('leadUpdated', () => list.reloadSoon());
  useHubEvent('leadRemoved', () => list.reloadSoon());
  const fields = defs.data ?? [];
  const all = [
    { key: 'title', label: t('title') }, { key: 'status', label: t('leadStatus') }, { key: 'contact', label: t('contact') },
    { key: 'assignee', label: t('assignee') }, { key: 'source', label: t('source') }, { key: 'created', label: t('createdAt') }, { key: 'updated', label: t('updatedAt') },
    ...fields.map((f) => ({ key: `field.${f.key}`, label: f.label })),
  ];
  const { columns, toggle } = useColumns('cc.leadList.columns', ['title', 'status', 'contact', 'assignee', 'created']);
  const shown = all.filter((c) => c.key === 'title' || columns.includes(c.key));
  const set = (key: string, value: string) => { selection.clear(); setFilters((f) => ({ ...f, [key]: value })); };

  function cell(l: Row, key: string) {
    switch (key) {
      case 'title': return <Link to={`/leads/${encodeURIComponent(String(l.id))}`}>{l.title}</Link>;
      case 'status': return <span className="pill">{t(`leadStatus_${l.status}` as StringKey)}</span>;
      case 'contact': return l.contact?.name ?? '';
      case 'assignee': return l.assignee?.name ?? t('unassigned');
      case 'source': return l.source ?? '';
      case 'created': return l.createdAt ? shortTime(l.createdAt, locale) : '';
      case 'updated': return l.updatedAt ? shortTime(l.updatedAt, locale) : '';
      default: return showValue((l.fields as Record<string, never> | undefined)?.[key.slice(6)], t('yes'), t('no'));
    }
  }

  return (
    <div className="page list-view" data-testid="lead-list">
      <div className="page-head">
        <h1>{t('leads')}</h1>
        <ColumnChooser all={all.filter((c) => c.key !== 'title')} visible={columns} onToggle={toggle} />
        <button type="button" onClick={() => { setError(null); downloadCsv('/api/leads', params, 'leads.csv').catch((e: Error) => setError(e.message)); }}>{t('exportCsv')}</button>
      </div>
      <form className="filter-bar" aria-label={t('filters')} onSubmit={(e) => e.preventDefault()}>
        <label className="filter">{t('leadStatus')}
          <select value={filters.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">{t('any')}</option>
            {['new', 'in_work', 'converted', 'junk'].map((s) => <option key={s} value={s}>{t(`leadStatus_${s}` as StringKey)}</option>)}
          </select>
        </label>
        <AssigneeAndCreated filters={filters} set={set} users={users.data ?? []} />
        <label className="filter">{t('source')}<input type="text" defaultValue={filters.source} onBlur={(e) => set('source', e.target.value.trim())} /></label>
        <OverdueFilter filters={filters} set={set} />
        <FieldFilters fields={fields} filters={filters} onChange={set} />
      </form>
      <LeadBulkBar rows={selection.chosen.map((l) => ({ id: l.id, name: l.title }))} users={users.data ?? []}
        onDone={() => { selection.clear(); void list.reload(); }} />
      <SelectMatching selection={selection} list={list} />
      {(error || list.error != null) && <p className="error" role="alert">{error ?? explain(list.error, t)}</p>}
      <ListTable kind="lead" shown={shown} sortable={['created', 'updated']} sort={sort} onSort={setSort} items={list.items} selection={selection}
        cell={cell} empty={t('noLeads')} hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </div>
  );
}
