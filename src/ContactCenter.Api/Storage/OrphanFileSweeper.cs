using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Storage;

/// <summary>
/// Removes stored files no row refers to (an attachment or a canned response's file) once they are older than
/// `Storage:OrphanFileTtl`: files are written before the transaction that records them (InboundFiles, uploads, fetched
/// media), so a transaction that never committed (a crash, a failed batch) leaves its files behind. A Hangfire recurring
/// job (`sweep-orphan-files`, `Jobs:SweepOrphanFilesCron`, daily); several nodes running it at once only race to delete
/// the same files.
/// </summary>
public sealed class OrphanFileSweeper(NpgsqlDataSource db, AttachmentStore files, IOptions<StorageOptions> options, TimeProvider clock,
    ILogger<OrphanFileSweeper> logger)
{
    private const int Chunk = 1000;

    [AutomaticRetry(Attempts = 3)]
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var before = (clock.GetUtcNow() - options.Value.OrphanFileTtl).UtcDateTime;
        var removed = 0;
        await using var connection = await db.OpenConnectionAsync(ct);
        foreach (var chunk in files.FilesWrittenBefore(before).Chunk(Chunk))
        {
            var orphans = await connection.QueryAsync<string>(new CommandDefinition("""
                select p from unnest(@paths::text[]) p
                where not exists (select 1 from attachments a where a.storage_path = p)
                  and not exists (select 1 from canned_response_files f where f.storage_path = p)
                """, new { paths = chunk }, cancellationToken: ct));
            foreach (var path in orphans)
            {
                files.Delete(path);
                removed++;
            }
        }
        if (removed > 0)
        {
            logger.LogInformation("Removed {Count} stored files no row refers to", removed);
        }
        return removed;
    }
}
