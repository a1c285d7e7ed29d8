import { catalogName } from '../components/cards/cardTypes';
import { useEffect, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Dialog } from '../components/Dialog';
import { ResourceStatus } from '../components/Status';
import { useI18n } from '../i18n';
import { body, client as apiClient } from '../api/client';
import { useApiGet } from '../api/useApiGet';
import { addAmount } from '../lib/currency';
import { explain } from '../lib/errors';
import { keys } from '../lib/queryClient';
import { statusOf } from '../lib/queryStatus';
import { useJoined } from '../live';
import { Link } from 'react-router';
import { CreateDialog } from '../components/cards/CreateDialog';
import { overdueFirstKey } from '../components/cards/cardTypes';
import { DealBoard } from '../components/board/DealBoard';
import '../components/cards/cards.css';
import { sameId, type Board, type DealCard, type Id } from '../types';

/** Moves a card between columns and recomputes counts and sums per currency (used optimistically, and to roll back). */
export function moveCard(board: Board, dealId: Id, toStage: number): Board {
  let card: DealCard | undefined;
  const stages = board.stages.map((s) => {
    const found = s.deals.find((d) => sameId(d.id, dealId));
    if (!found) return s;
    card = found;
    return {
      ...s, deals: s.deals.filter((d) => d !== found), count: s.count - 1, totalAmount: s.totalAmount - (found.amount ?? 0),
      totalAmountByCurrency: addAmount(s.totalAmountByCurrency, found.currency, -(found.amount ?? 0)),
    };
  });
  if (!card) return board;
  const moved = { ...card, stageId: toStage };
  return {
    ...board,
    stages: stages.map((s) => (sameId(s.stageId, toStage)
      ? {
        ...s, deals: [moved, ...s.deals], count: s.count + 1, totalAmount: s.totalAmount + (moved.amount ?? 0),
        totalAmountByCurrency: addAmount(s.totalAmountByCurrency, moved.currency, moved.amount ?? 0),
      } : s)),
  };
}

export function DealsPage() {
  const { t } = useI18n();
  const pipelines = useApiGet('/api/pipelines');
  const users = useApiGet('/api/users');
  const [pipelineId, setPipelineId] = useState<string>('');
  const [assigneeId, setAssigneeId] = useState<string>('');
  const [error, setError] = useState<string | null>(null);
  // A drop on the pipeline's lost column: the deal stays where it was until the manager says why it was lost.
  const [losing, setLosing] = useState<{ deal: DealCard; stageId: Id } | null>(null);
  const [creating, setCreating] = useState<'deal' | 'lead' | null>(null);
  const [lateFirst, setLateFirst] = useState(() => localStorage.getItem(overdueFirstKey) === '1');
  const client = useQueryClient();
  // The board and the overdue counts are queries; deal events and counter changes invalidate them (lib/hubCache.ts).
  const overdue = useQuery({ queryKey: keys.overdue, queryFn: () => body(apiClient.GET('/api/pipelines/overdue')) });
  const overdueOf = (id: Id) => overdue.data?.find((o) => sameId(o.pipelineId, id))?.overdue ?? 0;

  useEffect(() => {
    if (!pipelineId && pipelines.data?.length) setPipelineId(String((pipelines.data.find((p) => p.isDefault) ?? pipelines.data[0]).id));
  }, [pipelines.data, pipelineId]);

  const joined = useJoined();
  const boardKey = keys.board(pipelineId, assigneeId);
  const board = useQuery({
    queryKey: boardKey,
    enabled: !!pipelineId,
    queryFn: async () => {
      await joined();
      const params = { path: { id: Number(pipelineId) }, query: { assigneeId: assigneeId ? Number(assigneeId) : undefined } };
      return body(apiClient.GET('/api/pipelines/{id}/board', { params }));
    },
  });
  const pipeline = pipelines.data?.find((p) => String(p.id) === pipelineId);

  async function move(dealId: Id, toStage: number) {
    const before = board.data;
    if (!before) return;
    const from = before.stages.find((s) => s.deals.some((d) => sameId(d.id, dealId)));
    if (!from || sameId(from.stageId, toStage)) return;
    const target = pipeline?.stages.find((s) => sameId(s.id, toStage));
    const lostStages = pipeline?.stages.filter((s) => s.semantic === 'lost') ?? [];
    // With one lost stage the stage says nothing about why: ask (several lost stages each are a reason of their own).
    if (target?.semantic === 'lost' && lostStages.length === 1) {
      const deal = from.deals.find((d) => sameId(d.id, dealId));
      if (deal) setLosing({ deal, stageId: toStage });
      return;
    }
    // Shown at once; a read under way would bring back the old column, so it is cancelled (the push re-reads).
    await client.cancelQueries({ queryKey: boardKey });
    client.setQueryData<Board>(boardKey, (now) => moveCard(now ?? before, dealId, toStage));
    try {
      setError(null);
      await apiClient.PATCH('/api/deals/{id}', { params: { path: { id: Number(dealId) } }, body: { stageId: toStage } });
    } catch (e) {
      client.setQueryData<Board>(boardKey, (now) => (now ? moveCard(now, dealId, from.stageId) : now));
      setError(t('moveFailed', { reason: explain(e, t) }));
    }
  }

  async function markLost(dealId: Id, stageId: Id, lossReasonId: Id) {
    await apiClient.POST('/api/deals/{id}/close', { params: { path: { id: Number(dealId) } }, body: { outcome: 'lost', lossReasonId: Number(lossReasonId), stageId: Number(stageId) } });
    setLosing(null);
    setError(null);
    void client.invalidateQueries({ queryKey: boardKey });
  }

  return (
    <div className="page deals">
      <div className="page-head">
        <h1>{t('deals')}</h1>
        <Link to="/deals/list">{t('listView')}</Link>
        {pipelines.data && (
          <>
            <label>{t('pipeline')}{' '}
              <select value={pipelineId} onChange={(e) => setPipelineId(e.target.value)}>
                {pipelines.data.map((p) => <option key={String(p.id)} value={String(p.id)}>
                  {overdueOf(p.id) > 0 ? t('pipelineOverdue', { name: p.name, count: overdueOf(p.id) }) : p.name}</option>)}
              </select>
              {pipeline && overdueOf(pipeline.id) > 0 &&
                <span className="badge danger pipeline-overdue" data-testid="pipeline-overdue" title={t('overdueBadge')}>{overdueOf(pipeline.id)}</span>}
            </label>
            <label>{t('assignee')}{' '}
              <select value={assigneeId} onChange={(e) => setAssigneeId(e.target.value)}>
                <option value="">{t('allAssignees')}</option>
                {(users.data ?? []).map((u) => <option key={String(u.id)} value={String(u.id)}>{u.name}</option>)}
              </select>
            </label>
            <span className="board-tools">
              <label className="inline"><input type="checkbox" checked={lateFirst} onChange={(e) => {
                setLateFirst(e.target.checked);
                localStorage.setItem(overdueFirstKey, e.target.checked ? '1' : '0');
              }} /> {t('overdueFirst')}</label>
              <button type="button" className="primary" onClick={() => setCreating('deal')}>{t('newDeal')}</button>
              <button type="button" onClick={() => setCreating('lead')}>{t('newLead')}</button>
            </span>
          </>
        )}
      </div>
      {creating && <CreateDialog kind={creating} pipeline={pipeline} onClose={() => setCreating(null)} />}
      <ResourceStatus resource={pipelines} what="GET /api/pipelines" />
      <ResourceStatus resource={statusOf(board)} what="GET /api/pipelines/{id}/board" />
      {error && <p className="error" role="alert">{error}</p>}
      {losing && <LossDialog deal={losing.deal} onCancel={() => setLosing(null)}
        onLose={(reasonId) => markLost(losing.deal.id, losing.stageId, reasonId)} />}
      {board.data && <DealBoard board={board.data} pipeline={pipeline} lateFirst={lateFirst} onMove={(id, to) => void move(id, to)} />}
    </div>
  );
}

/** Asks why a deal was lost (the loss reasons an admin keeps), then closes it; cancelling leaves the deal where it was. */
export function LossDialog({ deal, onCancel, onLose }: { deal: { title: string }; onCancel: () => void; onLose: (reasonId: Id) => Promise<void> }) {
  const { t, lang } = useI18n();
  const reasons = useApiGet('/api/loss-reasons');
  const [reasonId, setReasonId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit() {
    const reason = reasons.data?.find((r) => String(r.id) === reasonId);
    if (!reason) { setError(t('chooseLossReason')); return; }
    setBusy(true);
    try {
      await onLose(reason.id);
    } catch (e) {
      setError(explain(e, t));
      setBusy(false);
    }
  }
  return (
    <Dialog title={t('loseDealTitle', { title: deal.title })} onClose={onCancel}>
      <form onSubmit={(e) => { e.preventDefault(); void submit(); }}>
        <label className="field">{t('lossReason')}
          <select value={reasonId} onChange={(e) => { setReasonId(e.target.value); setError(null); }}>
            <option value="">{t('chooseLossReason')}</option>
            {(reasons.data ?? []).map((r) => <option key={String(r.id)} value={String(r.id)}>{catalogName(r, lang)}</option>)}
          </select>
        </label>
        {error && <p className="error" role="alert">{error}</p>}
        <div className="row">
          <button type="button" onClick={onCancel}>{t('cancel')}</button>
          <button type="submit" className="danger" disabled={busy}>{t('markLost')}</button>
        </div>
      </form>
    </Dialog>
  );
}
