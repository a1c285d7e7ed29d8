using ContactCenter.Benchmarks.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace ContactCenter.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5's data, written with binary COPY (never row by row): contacts with identities, conversations over
/// the last year in two channels (half assigned to 20 managers), their messages, deals on the default
/// pipeline's open stages and three response-time events per conversation.
/// </summary>
public static class Seeder
{
    public sealed record Seeded(long[] ChannelIds, long[] ConversationIds, List<BenchDb.User> Managers, long PipelineId, TimeSpan Took);

    public static async Task<Seeded> SeedAsync(BenchContext ctx)
    {
        var admin = ctx.Admin!;
        var size = ctx.Size;
        var ch1 = await admin.CreateChannelAsync("api", "Seeded inbox 1", new System.Text.Json.Nodes.JsonObject { ["secret"] = "bench-api-secret-0123456789" });
        var ch2 = await admin.CreateChannelAsync("api", "Seeded inbox 2", new System.Text.Json.Nodes.JsonObject { ["secret"] = "bench-api-secret-0123456789" });
        var managers = await ctx.AppDb.CreateUsersAsync("seed", 20, "manager", ch1);
        var managerIds = managers.Select(m => m.Id).ToArray();
        var random = new Random(42);
        var now = DateTime.UtcNow;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long done = 0;
        var phase = "contacts";
        var total = (long)size.Conversations * 3 + size.Messages + size.Deals + size.Conversations * 3L;

        await using var connection = await ctx.AppDb.Source.OpenConnectionAsync();
        await using (var set = new NpgsqlCommand("set synchronous_commit = off", connection))
        {
            await set.ExecuteNonQueryAsync();
        }
        using var progress = new Progress("queries: seeding with COPY", null, () => $"{phase}: {done:N0}/{total:N0} rows");
        var n = size.Conversations;

        var maxContact = await Scalar<long>(connection, "select coalesce(max(id), 0) from contacts");
        await using (var copy = await connection.BeginBinaryImportAsync("copy contacts (name, email, created_at, updated_at) from stdin (format binary)"))
        {
            for (var i = 0; i < n; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"Seeded customer {i}", NpgsqlDbType.Text);
                await copy.WriteAsync($"customer{i}@seed.example", NpgsqlDbType.Text);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                done++;
            }
            await copy.CompleteAsync();
        }
        var contacts = await Ids(connection, "select id from contacts where id > $1 order by id", maxContact);

        phase = "identities";
        await using (var copy = await connection.BeginBinaryImportAsync("copy contact_identities (contact_id, channel_kind, address, display_name) from stdin (format binary)"))
        {
            for (var i = 0; i < n; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(contacts[i], NpgsqlDbType.Bigint);
                await copy.WriteAsync("api", NpgsqlDbType.Text);
                await copy.WriteAsync($"{ctx.RunTag}-seed-{i}", NpgsqlDbType.Text);
                await copy.WriteAsync($"Seeded customer {i}", NpgsqlDbType.Text);
                done++;
            }
            await copy.CompleteAsync();
        }

        // Per conversation: how many messages, how many of them inbound, when it started and last moved.
        var average = Math.Max(1, size.Messages / n);
        var counts = new int[n];
        var inbound = new int[n];
        var started = new DateTime[n];
        var last = new DateTime[n];
        var assignee = new long?[n];
        for (var i = 0; i < n; i++)
        {
            counts[i] = 1 + random.Next(0, 2 * average - 1);
            inbound[i] = (counts[i] + 1) / 2;
            started[i] = now.AddSeconds(-random.NextDouble() * 365 * 86400);
            var end = started[i].AddSeconds(random.NextDouble() * 2 * 86400);
            last[i] = end > now ? now : end;
            assignee[i] = random.NextDouble() < 0.5 ? managerIds[random.Next(managerIds.Length)] : null;
        }

        phase = "conversations";
        var maxConversation = await Scalar<long>(connection, "select coalesce(max(id), 0) from conversations");
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy conversations (channel_id, contact_id, thread_key, status, assignee_id, last_activity_at, inbound_count,
                                waiting_since, first_inbound_at, created_at, updated_at, cycle_started_at, assigned_at) from stdin (format binary)
            """))
        {
            for (var i = 0; i < n; i++)
            {
                var r = random.NextDouble();
                var status = r < 0.25 ? "open" : r < 0.35 ? "pending" : "resolved";
                await copy.StartRowAsync();
                await copy.WriteAsync(i % 2 == 0 ? ch1 : ch2, NpgsqlDbType.Bigint);
                await copy.WriteAsync(contacts[i], NpgsqlDbType.Bigint);
                await copy.WriteAsync("", NpgsqlDbType.Text);
                await copy.WriteAsync(status, NpgsqlDbType.Text);
                await WriteNullable(copy, assignee[i]);
                await copy.WriteAsync(last[i], NpgsqlDbType.TimestampTz);
                await copy.WriteAsync((long)inbound[i], NpgsqlDbType.Bigint);
                if (status == "open")
                {
                    await copy.WriteAsync(last[i], NpgsqlDbType.TimestampTz);
                }
                else
                {
                    await copy.WriteNullAsync();
                }
                await copy.WriteAsync(started[i], NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(started[i], NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(last[i], NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(started[i], NpgsqlDbType.TimestampTz);
                if (assignee[i] is null)
                {
                    await copy.WriteNullAsync();
                }
                else
                {
                    await copy.WriteAsync(started[i], NpgsqlDbType.TimestampTz);
                }
                done++;
            }
            await copy.CompleteAsync();
        }
        var conversations = await Ids(connection, "select id from conversations where id > $1 order by id", maxConversation);

        phase = "messages";
        // The staff replies among these would each run the first-touch trigger (migration 1122), which lowers the first
        // touch of the contact's leads and deals: these contacts are new and have none yet (their deals are copied
        // below, and a deal inserted with a past creation date reads its first touch then), so the trigger is off for
        // this copy alone: a million no-op updates cost minutes of seeding and change nothing.
        await Exec(connection, "alter table messages disable trigger messages_first_touch_insert");
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy messages (conversation_id, channel_id, direction, text, sender_type, sender_user_id, status, external_id, sent_at, created_at, updated_at)
            from stdin (format binary)
            """))
        {
            long external = 0;
            for (var i = 0; i < n; i++)
            {
                var step = (last[i] - started[i]) / Math.Max(1, counts[i] - 1);
                for (var j = 0; j < counts[i]; j++)
                {
                    var isInbound = j % 2 == 0;
                    var at = started[i] + step * j;
                    await copy.StartRowAsync();
                    await copy.WriteAsync(conversations[i], NpgsqlDbType.Bigint);
                    await copy.WriteAsync(i % 2 == 0 ? ch1 : ch2, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(isInbound ? "inbound" : "outbound", NpgsqlDbType.Text);
                    await copy.WriteAsync(isInbound
                        ? $"Hello, this is customer {i}. A question about order #{external}: when will it ship?"
                        : "Thanks for writing! It ships tomorrow; the tracking number follows by e-mail.", NpgsqlDbType.Text);
                    await copy.WriteAsync(isInbound ? "contact" : "user", NpgsqlDbType.Text);
                    await WriteNullable(copy, isInbound ? null : assignee[i] ?? managerIds[0]);
                    await copy.WriteAsync(isInbound ? "received" : "delivered", NpgsqlDbType.Text);
                    if (isInbound)
                    {
                        await copy.WriteAsync($"{ctx.RunTag}-seed-{external++}", NpgsqlDbType.Text);
                    }
                    else
                    {
                        await copy.WriteNullAsync();
                    }
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                    done++;
                }
            }
            await copy.CompleteAsync();
        }
        await Exec(connection, "alter table messages enable trigger messages_first_touch_insert");
        phase = "last messages";
        await Exec(connection, """
            update conversations c set last_message_id = m.max_id, last_preview = left(lm.text, 140)
            from (select conversation_id, max(id) as max_id from messages where channel_id = any($1) group by conversation_id) m
            join messages lm on lm.id = m.max_id
            where c.id = m.conversation_id
            """, new[] { ch1, ch2 });
        // Each assigned conversation read by its assignee (a used installation has read positions; the push reads a
        // conversation's by the index of migration 1141).
        phase = "reads";
        await Exec(connection, """
            insert into conversation_reads (conversation_id, user_id, last_read_message_id, read_inbound_count, read_at)
            select c.id, c.assignee_id, coalesce(c.last_message_id, 0), c.inbound_count, c.last_activity_at
            from conversations c where c.channel_id = any($1) and c.assignee_id is not null
            on conflict do nothing
            """, new[] { ch1, ch2 });

        phase = "deals";
        var pipeline = await Scalar<long>(connection, "select id from pipelines where is_default");
        var stages = await Ids(connection, "select id from stages where pipeline_id = $1 and semantic = 'open' order by sort", pipeline);
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy deals (contact_id, pipeline_id, stage_id, title, amount, assignee_id, created_at, updated_at) from stdin (format binary)
            """))
        {
            for (var i = 0; i < size.Deals; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(contacts[i % n], NpgsqlDbType.Bigint);
                await copy.WriteAsync(pipeline, NpgsqlDbType.Bigint);
                await copy.WriteAsync(stages[i % stages.Length], NpgsqlDbType.Bigint);
                await copy.WriteAsync($"Deal {i}: seeded customer {i % n}", NpgsqlDbType.Text);
                await copy.WriteAsync((decimal)random.Next(100, 100_000), NpgsqlDbType.Numeric);
                await copy.WriteAsync(managerIds[i % managerIds.Length], NpgsqlDbType.Bigint);
                await copy.WriteAsync(started[i % n], NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(last[i % n], NpgsqlDbType.TimestampTz);
                done++;
            }
            await copy.CompleteAsync();
        }

        phase = "response events";
        await using (var copy = await connection.BeginBinaryImportAsync("""
            copy response_events (conversation_id, channel_id, user_id, kind, started_at, at, seconds, business_seconds) from stdin (format binary)
            """))
        {
            string[] kinds = ["first_response", "reply", "resolution"];
            for (var i = 0; i < n; i++)
            {
                foreach (var kind in kinds)
                {
                    var seconds = kind == "resolution" ? random.NextDouble() * 86400 : random.NextDouble() * 1800;
                    await copy.StartRowAsync();
                    await copy.WriteAsync(conversations[i], NpgsqlDbType.Bigint);
                    await copy.WriteAsync(i % 2 == 0 ? ch1 : ch2, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(assignee[i] ?? managerIds[i % managerIds.Length], NpgsqlDbType.Bigint);
                    await copy.WriteAsync(kind, NpgsqlDbType.Text);
                    await copy.WriteAsync(started[i], NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(started[i].AddSeconds(seconds), NpgsqlDbType.TimestampTz);
                    await copy.WriteAsync(seconds, NpgsqlDbType.Double);
                    await copy.WriteAsync(seconds * 0.6, NpgsqlDbType.Double);
                    done++;
                }
            }
            await copy.CompleteAsync();
        }
        // Vacuumed as well as analyzed, as a live installation's tables have been by autovacuum (and as the report data is,
        // ReportQueries): after a COPY of millions of rows autovacuum vacuums these tables a minute later, in the middle of
        // the figures measured then, and its CPU counts as theirs (the search rows of a full run cost ten times their usual
        // PostgreSQL time now and then; each figure's note names the tables vacuumed or analyzed while it ran). With the
        // tables kept by triggers from these COPYs (response rollups, deal totals), but not the ones still empty here (stage
        // history, funnel, leads, activities): statistics saying "empty" made the report data's seeding plan its
        // not-exists inserts as nested loops over them, 171-277 s instead of ~35 s.
        phase = "vacuum analyze";
        await Exec(connection, """
            vacuum analyze contacts, contact_identities, conversations, messages, deals, deal_stage_totals,
                response_events, response_rollups, response_conversation_days, response_conversation_starts
            """);
        return new Seeded([ch1, ch2], conversations, managers, pipeline, clock.Elapsed);
    }

    private static async Task WriteNullable(NpgsqlBinaryImporter copy, long? value)
    {
        if (value is null)
        {
            await copy.WriteNullAsync();
        }
        else
        {
            await copy.WriteAsync(value.Value, NpgsqlDbType.Bigint);
        }
    }

    private static async Task<T> Scalar<T>(NpgsqlConnection c, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<long[]> Ids(NpgsqlConnection c, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids.ToArray();
    }

    private static async Task Exec(NpgsqlConnection c, string sql, params object[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 900 };
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }
        await cmd.ExecuteNonQueryAsync();
    }
}
