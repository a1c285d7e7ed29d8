using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Storage;

/// <summary>
/// Removes uploads no reply took (a manager attached a file, then discarded the draft) once they are older than
/// `Storage:UnsentUploadTtl`, rows and files. Safe on several nodes: each row is deleted by exactly one of them.
/// </summary>
public sealed class UploadSweeper(NpgsqlDataSource db, AttachmentStore files, IOptions<StorageOptions> options, TimeProvider clock, ILogger<UploadSweeper> logger)
    : BackgroundService
{
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
        return paths.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await SweepAsync(stoppingToken) is > 0 and var removed)
                {
                    logger.LogInformation("Removed {Count} unsent uploads", removed);
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning(ex, "Sweeping unsent uploads failed; trying again later");
            }
        }
    }
}
