using System.Diagnostics;
using System.Text.Json;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Crm;
using Dapper;
using Hangfire;
using Npgsql;

namespace ContactCenter.Api.Features.Imports;

/// <summary>
/// Runs one import on a Hangfire worker of any node. Each row is one transaction that stores its report line first
/// (unique on import and line), so a second run of the same import — a retry, or another node after this one died and
/// its lease ran out — skips the rows already done and never writes a row twice. Progress goes to the importer's
/// connections as `importProgress` (at most every 250 ms, and at the end).
/// </summary>
public sealed class ImportJob(NpgsqlDataSource db, IImportPushes pushes, CrmNotifier crm, TimeProvider clock, Shared.TypedPhones phones, ILogger<ImportJob> logger)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PushEvery = TimeSpan.FromMilliseconds(250);

    private sealed record Claimed(long UserId, string Entity, string Content, string Delimiter, bool HasHeader, string ColumnMap, int Total,
        int Created, int Merged, int Refused);

    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long importId, CancellationToken ct)
    {
        const string claim = """
            update imports set status = 'running', locked_until = now() + @lease
            where id = @importId and (status = 'queued' or (status = 'running' and (locked_until is null or locked_until < now())))
            returning user_id, entity, content, delimiter, has_header, column_map::text as column_map, total, created, merged, refused
            """;
        Claimed? job;
        CurrentUser? importer;
        HashSet<int> done;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            job = await connection.QuerySingleOrDefaultAsync<Claimed>(new CommandDefinition(claim, new { importId, lease = Lease }, cancellationToken: ct));
            if (job is null)
            {
                return; // finished, or another worker holds it
            }
            importer = await connection.QuerySingleOrDefaultAsync<CurrentUser>(new CommandDefinition(
                "select id, name, role from users where id = @id", new { id = job.UserId }, cancellationToken: ct));
            done = (await connection.QueryAsync<int>(new CommandDefinition(
                "select line from import_rows where import_id = @importId", new { importId }, cancellationToken: ct))).ToHashSet();
        }
        var (created, merged, refused) = (job.Created, job.Merged, job.Refused);
        try
        {
            var map = JsonSerializer.Deserialize<Dictionary<string, int>>(job.ColumnMap)!;
            ImportFields fields;
            await using (var connection = await db.OpenConnectionAsync(ct))
            {
                fields = await ImportFields.LoadAsync(connection, job.Entity, ct);
            }
            var writer = new ImportRowWriter(importer!, job.Entity, map, importId, phones) { Fields = fields };
            var records = new CsvUpload(job.Content, "", job.Delimiter[0]).Records();
            var changes = new CrmChanges();
            var sincePush = Stopwatch.StartNew();
            await PushAsync(importId, job.UserId, "running", job, done.Count, created, merged, refused);
            for (var i = job.HasHeader ? 1 : 0; i < records.Count; i++)
            {
                var line = i + 1;
                if (done.Contains(line))
                {
                    continue;
                }
                var result = await RowAsync(importId, line, writer, records[i], changes, ct);
                if (result is null)
                {
                    continue;
                }
                done.Add(line);
                created += result.Outcome == "created" ? 1 : 0;
                merged += result.Outcome == "merged" ? 1 : 0;
                refused += result.Outcome == "refused" ? 1 : 0;
                if (sincePush.Elapsed >= PushEvery)
                {
                    await crm.FlushAsync(changes, CancellationToken.None);
                    changes = new CrmChanges();
                    await PushAsync(importId, job.UserId, "running", job, done.Count, created, merged, refused);
                    sincePush.Restart();
                }
            }
            await crm.FlushAsync(changes, CancellationToken.None);
            await FinishAsync(importId, "done", null, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Import {ImportId} failed", importId);
            await FinishAsync(importId, "failed", "The import stopped on an unexpected error; the rows reported so far are stored.", CancellationToken.None);
            await PushAsync(importId, job.UserId, "failed", job, done.Count, created, merged, refused);
            return;
        }
        await PushAsync(importId, job.UserId, "done", job, done.Count, created, merged, refused);
    }

    /// <summary>One row in one transaction; null when another run stored it first.</summary>
    private async Task<ImportRowResult?> RowAsync(long importId, int line, ImportRowWriter writer, string[] record, CrmChanges changes, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var mine = await connection.ExecuteAsync(new CommandDefinition(
            "insert into import_rows (import_id, line, outcome) values (@importId, @line, 'refused') on conflict do nothing",
            new { importId, line }, tx, cancellationToken: ct));
        if (mine == 0)
        {
            return null;
        }
        var result = await writer.WriteAsync(connection, tx, record, clock.GetUtcNow(), changes, ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            update import_rows set outcome = @Outcome, error = @Error, contact_id = @ContactId, lead_id = @LeadId where import_id = @importId and line = @line;
            update imports set created = created + (@Outcome = 'created')::int, merged = merged + (@Outcome = 'merged')::int,
                refused = refused + (@Outcome = 'refused')::int, locked_until = now() + @lease
            where id = @importId;
            """, new { result.Outcome, result.Error, result.ContactId, result.LeadId, importId, line, lease = Lease }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return result;
    }

    private async Task FinishAsync(long importId, string status, string? error, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "update imports set status = @status, error = @error, finished_at = @now, locked_until = null where id = @importId",
            new { importId, status, error, now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
    }

    private async Task PushAsync(long importId, long userId, string status, Claimed job, int processed, int created, int merged, int refused)
    {
        try
        {
            await pushes.ImportProgressAsync(userId, new ImportProgress(importId, status, job.Total, processed, created, merged, refused));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is a hint; the report (GET /api/imports/{id}) is the truth.
            logger.LogWarning(ex, "Push of import {ImportId} progress failed", importId);
        }
    }
}
