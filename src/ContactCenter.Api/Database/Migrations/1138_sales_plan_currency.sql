-- A sales plan keeps the currency it was set in (session 23's outside review: changing the installation's currency
-- re-labelled every plan, past months included). Plans set before are in the installation's currency of today.
alter table sales_plans add column currency text;
update sales_plans set currency = coalesce((select value ->> 'currency' from app_settings where key = 'crm'), 'USD');
alter table sales_plans alter column currency set not null;
