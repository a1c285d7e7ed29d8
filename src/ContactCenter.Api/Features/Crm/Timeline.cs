using System.Text.Json;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>Writes timeline entries inside the caller's transaction.</summary>
public static class Timeline
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<long> AddAsync(NpgsqlConnection connection, NpgsqlTransaction tx, long? leadId, long? dealId, string type,
        Actor actor, DateTimeOffset at, object data, CancellationToken ct)
    {
        const string sql = """
            insert into timeline_entries (lead_id, deal_id, type, at, actor_type, actor_id, data)
            values (@leadId, @dealId, @type, @at, @actorType, @actorId, @data::jsonb)
            returning id
            """;
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, new
        {
            leadId, dealId, type, at = at.UtcDateTime, actorType = actor.Type, actorId = actor.Id, data = JsonSerializer.Serialize(data, Json),
        }, tx, cancellationToken: ct));
    }

    public static Task<long> AddAsync(NpgsqlConnection connection, NpgsqlTransaction tx, Subject subject, string type,
        Actor actor, DateTimeOffset at, object data, CancellationToken ct) =>
        AddAsync(connection, tx, subject.IsLead ? subject.Id : null, subject.IsLead ? null : subject.Id, type, actor, at, data, ct);

    /// <summary>An entry by the change's actor at its time.</summary>
    public static Task<long> AddAsync(CrmWrite w, long? leadId, long? dealId, string type, object data, CancellationToken ct) =>
        AddAsync(w.Connection, w.Tx, leadId, dealId, type, w.Actor, w.Now, data, ct);

    public static Task<long> AddAsync(CrmWrite w, Subject subject, string type, object data, CancellationToken ct) =>
        AddAsync(w.Connection, w.Tx, subject, type, w.Actor, w.Now, data, ct);
}

/// <summary>A lead or a deal.</summary>
public readonly record struct Subject(string Type, long Id)
{
    public bool IsLead => Type == "lead";

    public static Subject Lead(long id) => new("lead", id);

    public static Subject Deal(long id) => new("deal", id);
}
