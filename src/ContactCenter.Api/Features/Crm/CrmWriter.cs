using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// Runs one CRM change: opens a connection and a transaction, runs the body, commits when it answered Ok, and only then
/// pushes what it changed. A body that answers an error (or throws) is rolled back and pushes nothing.
/// </summary>
public sealed class CrmWriter(NpgsqlDataSource db, CrmNotifier notifier, TimeProvider clock)
{
    public async Task<CrmResult<T>> RunAsync<T>(Actor actor, Func<CrmWrite, Task<CrmResult<T>>> body, CancellationToken ct)
    {
        var changes = new CrmChanges();
        CrmResult<T> result;
        await using (var connection = await db.OpenConnectionAsync(ct))
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            result = await body(new CrmWrite(connection, tx, actor, clock.GetUtcNow(), changes));
            if (result.Status != CrmStatus.Ok)
            {
                return result; // disposing the transaction rolls it back
            }
            await tx.CommitAsync(ct);
        }
        await notifier.FlushAsync(changes, ct);
        return result;
    }
}
