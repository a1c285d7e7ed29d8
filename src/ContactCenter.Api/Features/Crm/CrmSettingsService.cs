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
public sealed class CrmSettingsService(NpgsqlDataSource db, CrmNotifier notifier, TimeProvider clock)
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

    private async Task<CrmResult<SettingsResult>> SwitchAsync(CurrentUser me, string mode, CancellationToken ct)
    {
        var changes = new CrmChanges();
        var converted = 0;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "insert into app_settings (key, value) values ('crm', '{\"mode\": \"classic\"}') on conflict (key) do nothing", transaction: tx, cancellationToken: ct));
            var old = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select value ->> 'mode' from app_settings where key = 'crm' for update", transaction: tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "update app_settings set value = jsonb_set(value, '{mode}', to_jsonb(@mode::text)) where key = 'crm'", new { mode }, tx, cancellationToken: ct));
            await CrmAudit.WriteAsync(connection, tx, me.Id, "crm-settings.updated", "crm-settings", null, new { mode = old ?? "classic" }, new { mode }, ct);
            if (old != "simple" && mode == "simple")
            {
                var stage = await StageRow.EntryAsync(connection, tx, null, ct) ?? throw new InvalidOperationException("The default pipeline has no open stage.");
                var leads = (await connection.QueryAsync<LeadState>(new CommandDefinition("""
                    select id, contact_id, title, status, source, assignee_id, deal_id from leads
                    where status in ('new', 'in_work') order by id for no key update
                    """, transaction: tx, cancellationToken: ct))).ToList();
                var now = clock.GetUtcNow();
                foreach (var lead in leads)
                {
                    await LeadWrites.ConvertAsync(connection, tx, lead, stage, null, 0, "USD", lead.AssigneeId, Actor.User(me), now, changes, ct);
                }
                converted = leads.Count;
            }
            await tx.CommitAsync(ct);
        }
        await notifier.FlushAsync(changes, ct);
        return CrmResult<SettingsResult>.Ok(new SettingsResult(mode, converted));
    }
}
