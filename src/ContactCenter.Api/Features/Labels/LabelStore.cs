using System.Text.RegularExpressions;
using ContactCenter.Api.Features.Crm;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Labels;

/// <summary>
/// The label catalogue: everyone signed in reads it, admins and supervisors change it (the routes' policy). A rename,
/// recolour or delete changes the summaries of the conversations carrying the label, so those are pushed again.
/// </summary>
public sealed partial class LabelStore(NpgsqlDataSource db, LabelPushes pushes)
{
    public const int MaxName = 50;

    private const string Columns = "id, name, color";

    public async Task<IReadOnlyList<LabelRef>> ListAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<LabelRef>(new CommandDefinition(
            $"select {Columns} from labels order by lower(name), id", cancellationToken: ct))).ToList();
    }

    public async Task<CrmResult<LabelRef>> CreateAsync(string? name, string? color, CancellationToken ct)
    {
        if (Validate(name, color, required: true) is { } invalid)
        {
            return invalid;
        }
        return await SaveAsync($"insert into labels (name, color) values (@name, @color) returning {Columns}",
            new { name = name!.Trim(), color = color!.ToLowerInvariant() }, ct);
    }

    public async Task<CrmResult<LabelRef>> UpdateAsync(long id, string? name, string? color, CancellationToken ct)
    {
        if (name is null && color is null)
        {
            return CrmResult<LabelRef>.Invalid("body", "Send name, color or both.");
        }
        if (Validate(name, color, required: false) is { } invalid)
        {
            return invalid;
        }
        var result = await SaveAsync($"""
            update labels set name = coalesce(@name, name), color = coalesce(@color, color), updated_at = now()
            where id = @id returning {Columns}
            """, new { id, name = name?.Trim(), color = color?.ToLowerInvariant() }, ct);
        if (result.Status == CrmStatus.Ok)
        {
            await pushes.LabelChangedAsync(id, ct);
        }
        return result;
    }

    /// <summary>Deletes the label; the cascade takes it off every conversation and contact, whose summaries are pushed again.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken ct)
    {
        List<long> carried;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            carried = (await connection.QueryAsync<long>(new CommandDefinition(
                "delete from conversation_labels where label_id = @id returning conversation_id", new { id }, tx, cancellationToken: ct))).ToList();
            if (await connection.ExecuteAsync(new CommandDefinition("delete from labels where id = @id", new { id }, tx, cancellationToken: ct)) == 0)
            {
                return false;
            }
            await tx.CommitAsync(ct);
        }
        await pushes.ConversationsChangedAsync(carried, ct);
        return true;
    }

    private async Task<CrmResult<LabelRef>> SaveAsync(string sql, object args, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        try
        {
            var saved = await connection.QuerySingleOrDefaultAsync<LabelRef>(new CommandDefinition(sql, args, cancellationToken: ct));
            return saved is null ? CrmResult<LabelRef>.NotFound("There is no such label.") : CrmResult<LabelRef>.Ok(saved);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return CrmResult<LabelRef>.Conflict("A label with this name already exists (names are compared ignoring case).");
        }
    }

    private static CrmResult<LabelRef>? Validate(string? name, string? color, bool required)
    {
        if ((required || name is not null) && (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxName || name.Any(char.IsControl)))
        {
            return CrmResult<LabelRef>.Invalid("name", $"name is 1 to {MaxName} characters (not counting spaces around it), without control characters.");
        }
        if ((required || color is not null) && (color is null || !ColorPattern().IsMatch(color)))
        {
            return CrmResult<LabelRef>.Invalid("color", "color is #rrggbb (six hexadecimal digits).");
        }
        return null;
    }

    [GeneratedRegex(@"^#[0-9a-fA-F]{6}\z")]
    private static partial Regex ColorPattern();
}
