using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Fields;

/// <summary>Reads and stores a row's custom field values inside the caller's transaction (the row is already locked).</summary>
public static class FieldWrites
{
    /// <summary>Only the entity tables named here; the name is never taken from input.</summary>
    private static string Checked(string table) => table is "deals" or "leads" or "contacts" or "companies" ? table : throw new ArgumentOutOfRangeException(nameof(table));

    public static Task<string?> CurrentAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, long id, CancellationToken ct) =>
        connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            $"select fields::text from {Checked(table)} where id = @id", new { id }, tx, cancellationToken: ct));

    public static Task SetAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, long id, string json, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"update {Checked(table)} set fields = @json::jsonb where id = @id", new { id, json }, tx, cancellationToken: ct));
}
