-- The funnel report (issue 17) read every stage entry of the period and grouped them per deal on each request (3 s for a
-- year at 100,000 deals). Here each deal keeps, per pipeline, the set of stages it ever entered there and the span of
-- those entries, with the deal's current amount, assignee and source (what the report filters and sums). A deal whose
-- entries all fall inside the period is counted from this row alone; only the few deals with entries on both sides of
-- the period's edges are read from the history. Stage order and meaning are read at query time, so reordering stages
-- needs no rewrite. Kept by statement triggers on deal_stage_history and a row trigger on deals.

create table deal_funnel (
    deal_id     bigint not null references deals (id) on delete cascade,
    pipeline_id bigint not null,
    stages      bigint[] not null,
    first_at    timestamptz not null,
    last_at     timestamptz not null,
    amount      numeric(18, 2),
    assignee_id bigint,
    source      text,
    primary key (deal_id, pipeline_id)
);
create index deal_funnel_first_idx on deal_funnel (pipeline_id, first_at) include (last_at, stages, amount, assignee_id, source);
create index deal_funnel_manager_idx on deal_funnel (pipeline_id, assignee_id, first_at) include (last_at, stages, amount, source);
create index deal_funnel_last_idx on deal_funnel (pipeline_id, last_at) include (first_at, assignee_id, source, amount);

create function deal_funnel_refresh(p_deal_ids bigint[]) returns void language sql as $$
    with fresh as (
        select h.deal_id, s.pipeline_id, array_agg(distinct h.stage_id order by h.stage_id) as stages,
               min(h.entered_at) as first_at, max(h.entered_at) as last_at
        from deal_stage_history h join stages s on s.id = h.stage_id
        where h.deal_id = any(p_deal_ids)
        group by h.deal_id, s.pipeline_id
    ), gone as (
        delete from deal_funnel f where f.deal_id = any(p_deal_ids)
          and not exists (select 1 from fresh where fresh.deal_id = f.deal_id and fresh.pipeline_id = f.pipeline_id)
    )
    insert into deal_funnel as f (deal_id, pipeline_id, stages, first_at, last_at, amount, assignee_id, source)
    select fresh.deal_id, fresh.pipeline_id, fresh.stages, fresh.first_at, fresh.last_at, d.amount, d.assignee_id, d.source
    from fresh join deals d on d.id = fresh.deal_id
    order by fresh.deal_id, fresh.pipeline_id
    on conflict (deal_id, pipeline_id) do update
        set stages = excluded.stages, first_at = excluded.first_at, last_at = excluded.last_at,
            amount = excluded.amount, assignee_id = excluded.assignee_id, source = excluded.source
        where (f.stages, f.first_at, f.last_at, f.amount, f.assignee_id, f.source)
              is distinct from (excluded.stages, excluded.first_at, excluded.last_at, excluded.amount, excluded.assignee_id, excluded.source);
$$;

create function deal_funnel_on_insert() returns trigger language plpgsql as $$
begin
    perform deal_funnel_refresh(array(select distinct deal_id from new_rows));
    return null;
end $$;

create function deal_funnel_on_delete() returns trigger language plpgsql as $$
begin
    perform deal_funnel_refresh(array(select distinct deal_id from old_rows));
    return null;
end $$;

-- Closing an entry (left_at) changes nothing here: only a changed deal, stage or time is refreshed.
create function deal_funnel_on_update() returns trigger language plpgsql as $$
begin
    perform deal_funnel_refresh(array(
        select x.deal_id
        from new_rows n join old_rows o on o.id = n.id
        cross join lateral (values (n.deal_id), (o.deal_id)) x (deal_id)
        where (n.deal_id, n.stage_id, n.entered_at) is distinct from (o.deal_id, o.stage_id, o.entered_at)));
    return null;
end $$;

-- A delete, not a truncate: truncating deals cascades to deal_funnel in the same statement, which a nested truncate refuses.
create function deal_funnel_on_truncate() returns trigger language plpgsql as $$
begin
    delete from deal_funnel;
    return null;
end $$;

create trigger deal_stage_history_funnel_insert after insert on deal_stage_history
    referencing new table as new_rows for each statement execute function deal_funnel_on_insert();
create trigger deal_stage_history_funnel_delete after delete on deal_stage_history
    referencing old table as old_rows for each statement execute function deal_funnel_on_delete();
create trigger deal_stage_history_funnel_update after update on deal_stage_history
    referencing old table as old_rows new table as new_rows for each statement execute function deal_funnel_on_update();
create trigger deal_stage_history_funnel_truncate after truncate on deal_stage_history
    for each statement execute function deal_funnel_on_truncate();

-- The report filters by the deal's current assignee and source and sums its current amount.
create function deal_funnel_on_deal() returns trigger language plpgsql as $$
begin
    update deal_funnel set amount = new.amount, assignee_id = new.assignee_id, source = new.source where deal_id = new.id;
    return null;
end $$;

create trigger deals_funnel_update after update of amount, assignee_id, source on deals
    for each row when ((old.amount, old.assignee_id, old.source) is distinct from (new.amount, new.assignee_id, new.source))
    execute function deal_funnel_on_deal();

select deal_funnel_refresh(array(select id from deals));

-- The funnel's loss reasons read the closed deals' reason and stage too: from the index alone, as the outcomes do.
create index deals_closed_cover_idx on deals (closed_at)
    include (outcome, amount, assignee_id, pipeline_id, source, created_at, loss_reason_id, stage_id) where closed_at is not null;
drop index deals_closed_idx;

-- A manager's deal list starts from the deals assigned to them, open or closed (CrmAccess.DealVisibleSet).
create index deals_assignee_idx on deals (assignee_id, id);
