import {
  DndContext, DragOverlay, KeyboardSensor, PointerSensor, pointerWithin, rectIntersection, useDraggable, useDroppable, useSensor, useSensors,
  type Announcements, type CollisionDetection, type DragEndEvent, type DragStartEvent,
} from '@dnd-kit/core';
import { useMemo, useRef, useState, type KeyboardEventHandler, type PointerEventHandler, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useI18n } from '../../i18n';
import { money, moneyByCurrency } from '../../lib/format';
import { sameId, type Board, type DealCard, type Id, type Pipeline } from '../../types';
import { overdueFirst } from '../cards/cardTypes';
import { columnCoordinates } from './columnKeyboard';

type Column = Board['stages'][number];
interface CardData { deal: DealCard }
interface ColumnData { stageId: number; name: string }

// A pointer (mouse, pen, finger) drops on the column under it, and nowhere when it is over none: a neighbour's
// rectangle must not catch a drop beside a short column. The keyboard has no pointer, so the card's own rectangle decides.
const collision: CollisionDetection = (args) => (args.pointerCoordinates ? pointerWithin(args) : rectIntersection(args));

/** The kanban board: drag a card with the mouse, or lift it with Space/Enter, move it with the arrows, drop with Space/Enter. */
export function DealBoard({ board, pipeline, lateFirst, onMove }: {
  board: Board; pipeline: Pipeline | undefined; lateFirst: boolean; onMove: (dealId: Id, toStage: number) => void;
}) {
  const { t } = useI18n();
  const [active, setActive] = useState<DealCard | null>(null);
  // Whether the lifted card has been over another stage yet: until then, being over its own stage is no news
  // (it would talk over "Picked up ...").
  const moved = useRef(false);
  const sensors = useSensors(
    // A few pixels before a press becomes a drag, so clicking the card's link or its select still works.
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates }),
  );
  const stageName = (id: unknown) => board.stages.find((s) => String(s.stageId) === String(id))?.name ?? '';
  const titleOf = (id: unknown) => board.stages.flatMap((s) => s.deals).find((d) => String(d.id) === String(id))?.title ?? '';
  const announcements: Announcements = {
    onDragStart: ({ active: a }) => t('boardPicked', { title: titleOf(a.id), stage: stageName((a.data.current as CardData | undefined)?.deal.stageId) }),
    onDragOver: ({ active: a, over }) => {
      const home = (a.data.current as CardData | undefined)?.deal.stageId;
      if (!moved.current && over && String(over.id) === String(home)) return undefined;
      moved.current = true;
      return over ? t('boardOver', { title: titleOf(a.id), stage: stageName(over.id) }) : t('boardNotOver', { title: titleOf(a.id) });
    },
    onDragEnd: ({ active: a, over }) => (over ? t('boardDropped', { title: titleOf(a.id), stage: stageName(over.id) }) : t('boardCancelled', { title: titleOf(a.id) })),
    onDragCancel: ({ active: a }) => t('boardCancelled', { title: titleOf(a.id) }),
  };

  function start(e: DragStartEvent) {
    moved.current = false;
    setActive((e.active.data.current as CardData | undefined)?.deal ?? null);
  }
  function end(e: DragEndEvent) {
    setActive(null);
    const deal = (e.active.data.current as CardData | undefined)?.deal;
    const target = e.over?.data.current as ColumnData | undefined;
    if (deal && target) onMove(deal.id, target.stageId);
  }

  return (
    <DndContext sensors={sensors} collisionDetection={collision} onDragStart={start} onDragEnd={end} onDragCancel={() => setActive(null)}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('boardInstructions') } }}>
      <div className="board">
        {board.stages.map((col) => (
          <BoardColumn key={String(col.stageId)} col={col} board={board} pipeline={pipeline} lateFirst={lateFirst} dragging={!!active} onMove={onMove} />
        ))}
      </div>
      {/* The card follows the pointer above the page (the board scrolls sideways and would clip it). */}
      <DragOverlay dropAnimation={null}>{active && <CardBody deal={active} overlay />}</DragOverlay>
    </DndContext>
  );
}

function BoardColumn({ col, board, pipeline, lateFirst, dragging, onMove }: {
  col: Column; board: Board; pipeline: Pipeline | undefined; lateFirst: boolean; dragging: boolean; onMove: (dealId: Id, toStage: number) => void;
}) {
  const { t, locale } = useI18n();
  const data: ColumnData = { stageId: col.stageId, name: col.name };
  const { setNodeRef, isOver } = useDroppable({ id: String(col.stageId), data });
  const stages = useMemo(() => pipeline?.stages ?? board.stages.map((s) => ({ id: s.stageId, name: s.name })), [pipeline, board]);
  return (
    <section ref={setNodeRef} className={`column ${dragging ? 'droppable' : ''} ${isOver ? 'over' : ''}`} aria-label={col.name} data-stage-id={String(col.stageId)}>
      <header>
        <h2>{col.name}</h2>
        <span className="muted" data-testid="column-count">{t('dealsCount', { count: col.count })}</span>
        <span data-testid="column-total">{t('total', { amount: moneyByCurrency(col.totalAmountByCurrency, locale) })}</span>
      </header>
      <ul>
        {(lateFirst ? overdueFirst(col.deals) : col.deals).map((d) => (
          <BoardCard key={String(d.id)} deal={d}>
            <label className="sr-only-focusable">
              <span className="sr-only">{t('moveTo')}</span>
              <select aria-label={`${t('moveTo')}: ${d.title}`} value={String(col.stageId)} onChange={(e) => {
                const target = board.stages.find((s) => String(s.stageId) === e.target.value);
                if (target && !sameId(target.stageId, col.stageId)) onMove(d.id, target.stageId);
              }}>
                {stages.map((s) => <option key={String(s.id)} value={String(s.id)}>{s.name}</option>)}
              </select>
            </label>
          </BoardCard>
        ))}
        {col.deals.length === 0 && <li className="muted">{t('noDeals')}</li>}
      </ul>
    </section>
  );
}

function BoardCard({ deal, children }: { deal: DealCard; children: ReactNode }) {
  const { t } = useI18n();
  const data: CardData = { deal };
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, isDragging } = useDraggable({ id: String(deal.id), data });
  // The whole card answers the mouse; the keyboard lifts it by its handle (a button with a name), so Space in the
  // card's select or on its link does what it always does.
  const onPointerDown = listeners?.onPointerDown as PointerEventHandler | undefined;
  const onKeyDown = listeners?.onKeyDown as KeyboardEventHandler | undefined;
  // A closed deal is done: an activity left open on it is not the deal being late (the pipeline's counter agrees).
  const overdue = !deal.outcome && deal.nextActivity && Date.parse(deal.nextActivity.dueAt) < Date.now();
  return (
    <li ref={setNodeRef} className={`card ${overdue ? 'overdue' : ''} ${isDragging ? 'dragging' : ''}`} data-deal-id={String(deal.id)} onPointerDown={onPointerDown}>
      <button type="button" ref={setActivatorNodeRef} className="drag-handle" {...attributes} onKeyDown={onKeyDown}
        aria-label={t('boardMoveHandle', { title: deal.title })} title={t('boardMoveHandle', { title: deal.title })}>⠿</button>
      <CardBody deal={deal} />
      {children}
    </li>
  );
}

function CardBody({ deal, overlay = false }: { deal: DealCard; overlay?: boolean }) {
  const { t, locale } = useI18n();
  const body = (
    <>
      <strong>{overlay ? deal.title : <Link to={`/deals/${encodeURIComponent(String(deal.id))}`} data-testid="deal-card-link">{deal.title}</Link>}</strong>
      <span>{money(deal.amount, locale, deal.currency)}</span>
      <span className="muted">{[deal.contact?.name, deal.assignee?.name].filter(Boolean).join(' · ')}</span>
      {deal.nextActivity === null && !deal.outcome && <span className="danger-text">{t('noPlannedActivity')}</span>}
    </>
  );
  return overlay ? <div className="card drag-overlay" aria-hidden="true">{body}</div> : body;
}
