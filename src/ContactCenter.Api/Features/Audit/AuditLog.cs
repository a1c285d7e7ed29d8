using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Audit;

/// <summary>One audit row: who (null for anonymous sign-in attempts), what, on which subject, and its state before and after.</summary>
public sealed record AuditEntry(long? ActorId, string Action, string SubjectType, string? SubjectId, object? Before = null, object? After = null);

/// <summary>
/// Appends to the audit log inside the caller's transaction, so a change and its record commit or roll back together.
/// Values of fields named like secrets are masked here as a last line of defence (callers pass masked views already).
/// </summary>
public static class AuditLog
{
    private static readonly JsonSerializerOptions Json = CreateOptions();

    private static readonly string[] SecretNames = ["password", "secret", "token", "apikey", "api_key", "authtoken", "hash"];

    public static Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, AuditEntry entry, CancellationToken ct)
    {
        const string insert = """
            insert into audit_log (actor_id, action, subject_type, subject_id, before, after)
            values (@actorId, @action, @subjectType, @subjectId, @before::jsonb, @after::jsonb)
            """;
        return connection.ExecuteAsync(new CommandDefinition(insert, new
        {
            actorId = entry.ActorId,
            action = entry.Action,
            subjectType = entry.SubjectType,
            subjectId = entry.SubjectId,
            before = Serialize(entry.Before),
            after = Serialize(entry.After),
        }, tx, cancellationToken: ct));
    }

    private static string? Serialize(object? value)
    {
        if (value is null)
        {
            return null;
        }
        var node = JsonSerializer.SerializeToNode(value, Json);
        Mask(node);
        return node?.ToJsonString();
    }

    private static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    if (value is JsonValue && SecretNames.Any(s => key.Contains(s, StringComparison.OrdinalIgnoreCase)))
                    {
                        obj[key] = "***";
                    }
                    else
                    {
                        Mask(value);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Mask(item);
                }
                break;
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions();
        JsonDefaults.Apply(options);
        return options;
    }
}
