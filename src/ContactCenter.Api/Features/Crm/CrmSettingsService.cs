using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The CRM mode. `classic`: a first inbound message opens a lead to qualify; `simple`: it opens a deal directly.
/// Switching classic -> simple converts every open lead into a deal in the default pipeline (as Bitrix24 does),
/// in one transaction that holds the settings row, so the inbound pipeline (which reads the mode FOR SHARE)
/// never opens a lead in between. Switching back keeps the deals.
/// </summary>
public sealed class CrmSettingsService(NpgsqlDataSource db, CrmWriter crm)
{
    public sealed record CrmSettings(string Mode);

    public sealed record SettingsRequest(string? Mode);

    public sealed record SettingsResult(string Mode, int ConvertedLeads);

    public async Task<CrmSettings> GetAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return new CrmSettings(await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select value ->> 'mode' from app_settings where key = 'crm'", cancellationToken: ct)) ?? "classic");
    }

    public async Task<CrmResult<SettingsResult>> SetAsync(CurrentUser me, SettingsRequest r, CancellationToken ct)
    {
        if (r.Mode is not ("simple" or "classic"))
        {
            return CrmResult<SettingsResult>.Invalid("mode", "mode is simple or classic.");
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SwitchAsync(me, r.Mode, ct);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
                // An inbound message holding its conversation waited for the mode while we waited for the conversation.
            }
        }
    }

    private Task<CrmResult<SettingsResult>> SwitchAsync(CurrentUser me, string mode, CancellationToken ct) =>
        crm.RunAsync(Actor.User(me), async w =>
        {
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "insert into app_settings (key, value) values ('crm', '{\"mode\": \"classic\"}') on conflict (key) do nothing", transaction: w.Tx, cancellationToken: ct));
            var old = await w.Connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select value ->> 'mode' from app_settings where key = 'crm' for update", transaction: w.Tx, cancellationToken: ct));
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "update app_settings set value = jsonb_set(value, '{mode}', to_jsonb(@mode::text)) where key = 'crm'", new { mode }, w.Tx, cancellationToken: ct));
            await CrmAudit.WriteAsync(w.Connection, w.Tx, me.Id, "crm-settings.updated", "crm-settings", null, new { mode = old ?? "classic" }, new { mode }, ct);
            var converted = 0;
            if (old != "simple" && mode == "simple")
            {
                var stage = await StageRow.EntryAsync(w.Connection, w.Tx, null, ct) ?? throw new InvalidOperationException("The default pipeline has no open stage.");
                var leads = (await w.Connection.QueryAsync<LeadState>(new CommandDefinition("""
                    select id, contact_id, title, status, source, assignee_id, deal_id from leads
                    where status in ('new', 'in_work') order by id for no key update
                    """, transaction: w.Tx, cancellationToken: ct))).ToList();
                foreach (var lead in leads)
                {
                    await LeadWrites.ConvertAsync(w, lead, new LeadConversion(stage, null, 0, "USD", lead.AssigneeId), ct);
                }
                converted = leads.Count;
            }
            return CrmResult<SettingsResult>.Ok(new SettingsResult(mode, converted));
        }, ct);
}
