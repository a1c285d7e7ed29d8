-- Anonymous visitors (web chat widget, web forms) type an email or phone nobody has checked. Their contact is kept
-- apart from the customer who owns that address (issue 15): details_unverified marks a contact whose email/phone
-- came from such a visitor, so the inbound pipeline never matches anyone onto it by them; possible_duplicate_of is
-- the known contact the same email/phone belongs to, shown to managers as a suggestion to merge by hand.
alter table contacts add column details_unverified boolean not null default false;
alter table contacts add column possible_duplicate_of bigint references contacts (id) on delete set null;
create index contacts_possible_duplicate_idx on contacts (possible_duplicate_of) where possible_duplicate_of is not null;
