using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.FunctionalTests;

public sealed class MigrationTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_again_change_nothing()
    {
        var empty = await TestEnvironment.CreateDatabaseAsync();
        await using (var node = new AppNode(empty, null))
        {
            await using var db = new NpgsqlConnection(empty);
            var tables = (await db.QueryAsync<string>("select table_name from information_schema.tables where table_schema = 'public'")).ToHashSet();
            Assert.Superset(new HashSet<string> { "users", "channels", "contacts", "contact_identities", "conversations", "messages",
                "conversation_reads", "leads", "deals", "pipelines", "stages", "timeline_entries", "outbox", "schema_versions" }, tables);
            Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from pipelines where is_default"));
        }
        long applied;
        await using (var db = new NpgsqlConnection(empty))
        {
            applied = await db.ExecuteScalarAsync<long>("select count(*) from schema_versions");
        }
        await using (var again = new AppNode(empty, null))
        {
            await using var db = new NpgsqlConnection(empty);
            Assert.Equal(applied, await db.ExecuteScalarAsync<long>("select count(*) from schema_versions"));
        }
    }

    [Theory]
    [InlineData("conversations_assignee_idx", "select id from conversations c where c.assignee_id = 1 and c.status = 'open' order by c.last_activity_at desc, c.id desc limit 50")]
    [InlineData("conversations_inbox_idx", "select id from conversations c where c.status = 'open' order by c.last_activity_at desc, c.id desc limit 50")]
    [InlineData("messages_conversation_idx", "select id from messages m where m.conversation_id = 5 and m.id < 1000000 order by m.id desc limit 50")]
    [InlineData("messages_external_key", "select id from messages where channel_id = 1 and external_id = 'abc'")]
    public async Task Inbox_queries_use_their_indexes(string index, string query)
    {
        await using var db = new NpgsqlConnection(fixture.Postgres);
        await db.OpenAsync();
        // On near-empty tables the planner would rightly pick a seq scan; with seq scans off, the plan shows which index serves the query.
        await db.ExecuteAsync("set enable_seqscan = off");
        var plan = string.Join("\n", await db.QueryAsync<string>("explain " + query));
        Assert.Contains(index, plan);
    }
}
