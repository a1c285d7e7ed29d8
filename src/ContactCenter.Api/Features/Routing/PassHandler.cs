using System.Text.Json;
using ContactCenter.Api.Outbound;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Routing;

/// <summary>Outbox work `route:pass`: a routed conversation still unanswered after passAfterSeconds goes to the next manager.</summary>
public sealed class PassHandler(NpgsqlDataSource db, Router router) : IOutboxHandler
{
    public string Kind => "route:pass";

    private sealed record Payload(long ConversationId, long UserId);

    public async Task<OutboxResult> HandleAsync(OutboxItem item, bool lastAttempt, CancellationToken ct)
    {
        var payload = JsonSerializer.Deserialize<Payload>(item.Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            var stillWaiting = await connection.ExecuteScalarAsync<bool>(new CommandDefinition("""
                select exists(select 1 from conversations where id = @ConversationId and assignee_id = @UserId
                              and waiting_since is not null and status <> 'resolved')
                """, payload, cancellationToken: ct));
            if (!stillWaiting)
            {
                return new OutboxResult.Done();
            }
        }
        await router.TryAssignAsync(payload.ConversationId, passedFrom: payload.UserId, ct);
        return new OutboxResult.Done();
    }
}
