using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The CRM mode. `classic`: a first inbound message opens a lead to qualify; `simple`: it opens a deal directly.
/// Switching classic -> simple converts every open lead into a deal in the default pipeline (as Bitrix24 does),
/// in one transaction that holds the settings row, so the inbound pipeline (which reads the mode FOR SHARE)
/// never opens a lead in between. Switching back keeps the deals.
/// The installation's currency (`currency`, USD until an admin sets one) is what a deal gets when nobody names one: the
/// deals the server opens (an inbound message in simple mode, automation, a mode switch's conversions) and a create or
/// convert without `currency`.
/// </summary>
public sealed class CrmSettingsService(NpgsqlDataSource db, CrmWriter crm)
{
    public sealed record CrmSettings(string Mode, string Currency);

    public sealed record SettingsRequest(string? Mode, string? Currency);

    public sealed record SettingsResult(string Mode, string Currency, int ConvertedLeads);

    /// <summary>What every signed-in user may read of the settings: the currency a new deal starts in.</summary>
    public sealed record CrmDefaults(string Currency);

    /// <summary>The installation's currency in SQL, for a statement that fills in a deal's currency nobody named.</summary>
    public const string CurrencySql = "coalesce((select value ->> 'currency' from app_settings where key = 'crm'), 'USD')";

    public async Task<CrmSettings> GetAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleAsync<CrmSettings>(new CommandDefinition($"""
            select coalesce((select value ->> 'mode' from app_settings where key = 'crm'), 'classic') as mode, {CurrencySql} as currency
            """, cancellationToken: ct));
    }

    public async Task<CrmResult<SettingsResult>> SetAsync(CurrentUser me, SettingsRequest r, CancellationToken ct)
    {
        if (r.Mode is null && r.Currency is null)
        {
            return CrmResult<SettingsResult>.Invalid("mode", "Send mode (simple or classic), currency (a 3-letter ISO 4217 code) or both.");
        }
        if (r.Mode is not (null or "simple" or "classic"))
        {
            return CrmResult<SettingsResult>.Invalid("mode", "mode is simple or classic.");
        }
        if (r.Currency is not null && DealService.CheckMoney(null, r.Currency) is { } badCurrency)
        {
            return badCurrency.As<SettingsResult>();
        }
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SwitchAsync(me, r.Mode, r.Currency?.ToUpperInvariant(), ct);
            }
            catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
                // An inbound message holding its conversation waited for the mode while we waited for the conversation.
            }
        }
    }

    /// <param name="newMode">null keeps the mode.</param>
    /// <param name="newCurrency">null keeps the currency.</param>
    private Task<CrmResult<SettingsResult>> SwitchAsync(CurrentUser me, string? newMode, string? newCurrency, CancellationToken ct) =>
        crm.RunAsync(Actor.User(me), async w =>
        {
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "insert into app_settings (key, value) values ('crm', '{\"mode\": \"classic\"}') on conflict (key) do nothing", transaction: w.Tx, cancellationToken: ct));
            var old = await w.Connection.QuerySingleAsync<CrmSettings>(new CommandDefinition(
                "select coalesce(value ->> 'mode', 'classic') as mode, coalesce(value ->> 'currency', 'USD') as currency from app_settings where key = 'crm' for update",
                transaction: w.Tx, cancellationToken: ct));
            var now = new CrmSettings(newMode ?? old.Mode, newCurrency ?? old.Currency);
            await w.Connection.ExecuteAsync(new CommandDefinition(
                "update app_settings set value = value || jsonb_build_object('mode', @Mode::text, 'currency', @Currency::text) where key = 'crm'", now, w.Tx, cancellationToken: ct));
            await CrmAudit.WriteAsync(w.Connection, w.Tx, me.Id, "crm-settings.updated", "crm-settings", null, old, now, ct);
            var mode = now.Mode;
            var converted = 0;
            if (old.Mode != "simple" && mode == "simple")
            {
                var stage = await StageRow.EntryAsync(w.Connection, w.Tx, null, ct) ?? throw new InvalidOperationException("The default pipeline has no open stage.");
                var leads = (await w.Connection.QueryAsync<LeadState>(new CommandDefinition("""
                    select id, contact_id, title, status, source, assignee_id, deal_id from leads
                    where status in ('new', 'in_work') order by id for no key update
                    """, transaction: w.Tx, cancellationToken: ct))).ToList();
                foreach (var lead in leads)
                {
                    await LeadWrites.ConvertAsync(w, lead, new LeadConversion(stage, null, 0, now.Currency, lead.AssigneeId), ct);
                }
                converted = leads.Count;
            }
            return CrmResult<SettingsResult>.Ok(new SettingsResult(mode, now.Currency, converted));
        }, ct);
}
