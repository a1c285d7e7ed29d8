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
        var maxConversation = await ScalarAsync(connection, "select coalesce(max(id), 0) from conversations");
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
        await SeedHistoryAsync(connection, ctx.RunTag, maxConversation);
        await using (var analyze = new NpgsqlCommand("analyze contacts, contact_identities, leads, conversations, messages", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }
        ctx.KnownContacts = count;
        return count;
    }

    /// <summary>
    /// A history of <see cref="HistoryPerConversation"/> messages in each returning conversation (200,000 in a full run),
    /// so that ingest runs against the tables of an installation in use: against a near-empty `messages`, the plans
    /// PostgreSQL caches early (a sequential scan of a tiny table) stay in the pooled connections for the whole measured
    /// window, which then measures a new installation's first minutes instead (session 19, seen with auto_explain).
    /// </summary>
    private static async Task SeedHistoryAsync(NpgsqlConnection connection, string runTag, long afterConversation)
    {
        var rows = new List<(long Id, long Channel, DateTime At)>();
        await using (var cmd = new NpgsqlCommand("select id, channel_id, last_activity_at from conversations where id > $1 order by id", connection))
        {
            cmd.Parameters.AddWithValue(afterConversation);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetDateTime(2)));
            }
        }
        await ExecAsync(connection, "alter table messages disable trigger messages_first_touch_insert");
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy messages (conversation_id, channel_id, direction, text, sender_type, status, external_id, sent_at, created_at, updated_at)
            from stdin (format binary)
            """))
        {
            foreach (var (id, channel, last) in rows)
            {
                for (var j = 0; j < HistoryPerConversation; j++)
                {
                    var inbound = j % 2 == 0;
                    var at = last.AddMinutes(j - HistoryPerConversation);
                    await copy.StartRowAsync();
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(channel, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(inbound ? "inbound" : "outbound", NpgsqlDbType.Text);
                    await copy.WriteAsync(inbound ? "Hello, a question about my order: when will it ship?" : "It ships tomorrow.", NpgsqlDbType.Text);
                    await copy.WriteAsync(inbound ? "contact" : "system", NpgsqlDbType.Text);
                    await copy.WriteAsync(inbound ? "received" : "delivered", NpgsqlDbType.Text);
                    if (inbound)
                    {
                        await copy.WriteAsync($"{runTag}-history-{id}-{j}", NpgsqlDbType.Text);
                    }
                    else
                    {
                        await copy.WriteNullAsync();
                    }
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                }
            }
            await copy.CompleteAsync();
        }
        await ExecAsync(connection, "alter table messages enable trigger messages_first_touch_insert");
        await using var lastMessage = new NpgsqlCommand("""
            update conversations c set last_message_id = m.max_id, last_preview = left(lm.text, 140)
            from (select conversation_id, max(id) as max_id from messages where conversation_id > $1 group by conversation_id) m
            join messages lm on lm.id = m.max_id
            where c.id = m.conversation_id
            """, connection);
        lastMessage.Parameters.AddWithValue(afterConversation);
        await lastMessage.ExecuteNonQueryAsync();
    }

    private const int HistoryPerConversation = 5;

    private static async Task ExecAsync(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
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
