using Dapper;
using Hangfire;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Storage;

/// <summary>
/// Removes uploads no reply took (a manager attached a file, then discarded the draft) once they are older than
/// `Storage:UnsentUploadTtl`, rows and files. A Hangfire recurring job (`sweep-unsent-uploads`, `Jobs:SweepUploadsCron`)
/// runs it on one node at a time; it is safe on several anyway: each row is deleted by exactly one of them.
/// </summary>
public sealed class UploadSweeper(NpgsqlDataSource db, AttachmentStore files, IOptions<StorageOptions> options, TimeProvider clock, ILogger<UploadSweeper> logger)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        IReadOnlyList<string> paths;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            paths = (await connection.QueryAsync<string>(new CommandDefinition("""
                delete from attachments where message_id is null and upload_conversation_id is not null and created_at < @before
                returning storage_path
                """, new { before = clock.GetUtcNow() - options.Value.UnsentUploadTtl }, cancellationToken: ct))).ToList();
        }
        foreach (var path in paths)
        {
            files.Delete(path);
        }
        if (paths.Count > 0)
        {
            logger.LogInformation("Removed {Count} unsent uploads", paths.Count);
        }
        return paths.Count;
    }
}
