using Dapper;
using Npgsql;

namespace ContactCenter.FunctionalTests.Infrastructure;

/// <summary>
/// The read gates' tests' scene: a manager with one open conversation, and an inbox read of theirs held in PostgreSQL on
/// a lock of the table of read positions (as a migration's or an administrator's LOCK TABLE would hold it). The inbox
/// joins the caller's read positions; the messages page and the notifications do not read them (the counters do: they
/// would wait for the lock themselves, not for a gate).
/// </summary>
public sealed class StuckInboxRead : IAsyncDisposable
{
    private readonly NpgsqlConnection db;
    private readonly NpgsqlTransaction tx;

    private StuckInboxRead(NpgsqlConnection db, NpgsqlTransaction tx, Task<HttpResponseMessage> read)
    {
        this.db = db;
        this.tx = tx;
        Read = read;
    }

    /// <summary>The held inbox read; it answers once <see cref="ReleaseAsync"/> gives the lock back.</summary>
    public Task<HttpResponseMessage> Read { get; }

    /// <summary>A manager of a new api channel with one open conversation, and their client, which has read the inbox once.</summary>
    public static async Task<(HttpClient Http, string Token, long ConversationId)> ManagerAsync(AppFixture fixture, string name)
    {
        var channel = await fixture.CreateApiChannelAsync();
        var user = await fixture.CreateUserAsync(name, "manager", channel.Id);
        var id = (await fixture.IngestAsync(channel, name + "-" + Guid.NewGuid().ToString("N"), "cust-" + Guid.NewGuid().ToString("N"), "hello")).Id("conversationId");
        var http = fixture.App.Http(user.Token);
        // The session check's read of the user is cached by this first request, so a held one waits only on its own SQL.
        Assert.Single((await (await http.GetAsync("/api/conversations?status=open")).OkJsonAsync())["items"]!.AsArray());
        return (http, user.Token, id);
    }

    /// <summary>Locks the read positions and starts an inbox read with <paramref name="http"/>, returning once it waits for the lock.</summary>
    public static async Task<StuckInboxRead> StartAsync(AppFixture fixture, HttpClient http)
    {
        var db = fixture.Db();
        await db.OpenAsync();
        var tx = await db.BeginTransactionAsync();
        await db.ExecuteAsync("lock table conversation_reads in access exclusive mode", transaction: tx);
        var read = http.GetAsync("/api/conversations?status=open");
        // (pg_stat_activity keeps the first 1,024 characters: the summary's columns.)
        await fixture.UntilBlockedAsync("select c.id, c.status, c.revision%", "the inbox read waits for the test's lock");
        return new StuckInboxRead(db, tx, read);
    }

    /// <summary>Gives the lock back; the held read then answers.</summary>
    public Task ReleaseAsync() => tx.RollbackAsync();

    public async ValueTask DisposeAsync()
    {
        await tx.DisposeAsync();
        await db.DisposeAsync();
    }
}
