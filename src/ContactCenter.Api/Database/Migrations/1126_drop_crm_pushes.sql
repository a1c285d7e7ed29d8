-- A lead or deal the inbound pipeline opens is now pushed by the pipeline itself right after its commit, in the same
-- fan-out as the message (issue #19), so the queue the CRM scheduler drained is gone. Rows still waiting at upgrade
-- are only pushes: the leads and deals themselves are stored, and clients read them through REST.
drop table if exists crm_pushes;
