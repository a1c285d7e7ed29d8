using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Canned;

/// <summary>
/// Canned responses in PostgreSQL. Visibility is one rule, <see cref="Visible"/>: the shared ones and the caller's own
/// personal ones — a colleague's personal response does not exist for the caller (staff included: personal means personal).
/// </summary>
public sealed class CannedResponseStore(NpgsqlDataSource db)
{
    public const string Visible = "(r.owner_id is null or r.owner_id = @me)";

    private const string Columns = "r.id, r.owner_id, r.shortcut, r.title, r.text, r.created_at, r.updated_at";

    public sealed record Row(long Id, long? OwnerId, string Shortcut, string? Title, string Text, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
    {
        public bool Shared => OwnerId is null;
    }

    public sealed record FileRow(long Id, long CannedResponseId, string FileName, string ContentType, long Size, string StoragePath);

    public enum WriteResult
    {
        Done,
        Duplicate,
        Missing,
    }

    public async Task<IReadOnlyList<Row>> ListAsync(CurrentUser me, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"select {Columns} from canned_responses r where {Visible} order by lower(r.shortcut), r.owner_id nulls first, r.id",
            new { me = me.Id }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<Row?> GetAsync(CurrentUser me, long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"select {Columns} from canned_responses r where r.id = @id and {Visible}", new { id, me = me.Id }, cancellationToken: ct));
    }

    public async Task<(WriteResult Result, long Id)> CreateAsync(CurrentUser me, string shortcut, string? title, string text, bool shared, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        // ON CONFLICT DO NOTHING on the matching partial unique index: a duplicate is an answer, not an exception.
        var sql = shared
            ? """
              insert into canned_responses (owner_id, shortcut, title, text, created_by) values (null, @shortcut, @title, @text, @me)
              on conflict (lower(shortcut)) where owner_id is null do nothing returning id
              """
            : """
              insert into canned_responses (owner_id, shortcut, title, text, created_by) values (@me, @shortcut, @title, @text, @me)
              on conflict (owner_id, lower(shortcut)) where owner_id is not null do nothing returning id
              """;
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(sql, new { me = me.Id, shortcut, title, text }, cancellationToken: ct));
        return id is { } created ? (WriteResult.Done, created) : (WriteResult.Duplicate, 0);
    }

    public async Task<WriteResult> UpdateAsync(long id, string shortcut, string? title, string text, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        try
        {
            var changed = await connection.ExecuteAsync(new CommandDefinition("""
                update canned_responses set shortcut = @shortcut, title = @title, text = @text, updated_at = now() where id = @id
                """, new { id, shortcut, title, text }, cancellationToken: ct));
            return changed == 0 ? WriteResult.Missing : WriteResult.Done;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // An UPDATE has no ON CONFLICT: the unique index is the one arbiter of a shortcut taken meanwhile.
            return WriteResult.Duplicate;
        }
    }

    /// <summary>Deletes the response; returns the storage paths of its files, for the caller to remove from disk.</summary>
    public async Task<IReadOnlyList<string>?> DeleteAsync(long id, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var paths = (await connection.QueryAsync<string>(new CommandDefinition(
            "select storage_path from canned_response_files where canned_response_id = @id", new { id }, tx, cancellationToken: ct))).AsList();
        var deleted = await connection.ExecuteAsync(new CommandDefinition("delete from canned_responses where id = @id", new { id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return deleted == 0 ? null : paths;
    }

    public async Task<IReadOnlyList<FileRow>> FilesAsync(IReadOnlyCollection<long> responseIds, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<FileRow>(new CommandDefinition("""
            select id, canned_response_id, file_name, content_type, size, storage_path from canned_response_files
            where canned_response_id = any(@ids) order by id
            """, new { ids = responseIds.ToArray() }, cancellationToken: ct));
        return rows.AsList();
    }

    public async Task<long> AddFileAsync(long responseId, string fileName, string contentType, long size, string storagePath, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
            insert into canned_response_files (canned_response_id, file_name, content_type, size, storage_path)
            values (@responseId, @fileName, @contentType, @size, @storagePath) returning id
            """, new { responseId, fileName, contentType, size, storagePath }, cancellationToken: ct));
    }

    public async Task<string?> DeleteFileAsync(long responseId, long fileId, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "delete from canned_response_files where id = @fileId and canned_response_id = @responseId returning storage_path",
            new { responseId, fileId }, cancellationToken: ct));
    }
}
