using System.Globalization;
using ContactCenter.Benchmarks.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// The returning contacts of the ingest traffic, written with COPY before it starts: contacts 1..N with an api
/// and a Telegram identity, an open lead each, and a conversation in both ingest channels. Without them the
/// "returning" 90% would be a few dozen contacts met over and over, whose messages queue on the pipeline's
/// per-contact lock instead of running side by side.
/// </summary>
public static class ContactPool
{
    public static async Task<int> EnsureAsync(BenchContext ctx)
    {
        if (ctx.KnownContacts > 0)
        {
            return ctx.KnownContacts;
        }
        var count = ctx.Options.Quick ? 2_000 : 20_000;
        var targets = ctx.Ingest!;
        var now = DateTime.UtcNow;
        using var progress = new Progress($"ingest: {count:N0} returning contacts", null, () => "COPY");
        await using var connection = await ctx.AppDb.Source.OpenConnectionAsync();
        var maxContact = await ScalarAsync(connection, "select coalesce(max(id), 0) from contacts");
        await using (var copy = await connection.BeginBinaryImportAsync("copy contacts (name) from stdin (format binary)"))
        {
            for (var n = 1; n <= count; n++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"Customer {n}", NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        var contacts = await IdsAsync(connection, "select id from contacts where id > $1 order by id", maxContact);
        await using (var copy = await connection.BeginBinaryImportAsync("copy contact_identities (contact_id, channel_kind, address, display_name) from stdin (format binary)"))
        {
            for (var n = 1; n <= count; n++)
            {
                foreach (var (kind, address) in new[] { ("api", Traffic.ApiContact(ctx.RunTag, n)), ("telegram", Traffic.TelegramChat(n).ToString(CultureInfo.InvariantCulture)) })
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(contacts[n - 1], NpgsqlDbType.Bigint);
                    await copy.WriteAsync(kind, NpgsqlDbType.Text);
                    await copy.WriteAsync(address, NpgsqlDbType.Text);
                    await copy.WriteAsync($"Customer {n}", NpgsqlDbType.Text);
                }
            }
            await copy.CompleteAsync();
        }
        var maxLead = await ScalarAsync(connection, "select coalesce(max(id), 0) from leads");
        await using (var copy = await connection.BeginBinaryImportAsync("copy leads (contact_id, title, status) from stdin (format binary)"))
        {
            for (var n = 1; n <= count; n++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(contacts[n - 1], NpgsqlDbType.Bigint);
                await copy.WriteAsync($"Customer {n}", NpgsqlDbType.Text);
                await copy.WriteAsync("new", NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        var leads = await IdsAsync(connection, "select id from leads where id > $1 order by id", maxLead);
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy conversations (channel_id, contact_id, thread_key, lead_id, status, last_activity_at, first_inbound_at, created_at, updated_at, cycle_started_at)
            from stdin (format binary)
            """))
        {
            foreach (var channel in new[] { targets.ApiChannelId, targets.TelegramChannelId!.Value })
            {
                for (var n = 1; n <= count; n++)
                {
                    var at = now.AddMinutes(-Random.Shared.Next(60, 60 * 24 * 30));
                    await copy.StartRowAsync();
                    await copy.WriteAsync(channel, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(contacts[n - 1], NpgsqlDbType.Bigint);
                    await copy.WriteAsync("", NpgsqlDbType.Text);
                    await copy.WriteAsync(leads[n - 1], NpgsqlDbType.Bigint);
                    await copy.WriteAsync("resolved", NpgsqlDbType.Text);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                }
            }
            await copy.CompleteAsync();
        }
        await using (var analyze = new NpgsqlCommand("analyze contacts, contact_identities, leads, conversations", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }
        ctx.KnownContacts = count;
        return count;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<long[]> IdsAsync(NpgsqlConnection c, string sql, long after)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        cmd.Parameters.AddWithValue(after);
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids.ToArray();
    }
}
