using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// `GET /api/deals/{id}/files`, `GET /api/leads/{id}/files` (issue #17): the files of the card's conversations, newest first —
/// only of conversations the caller may open (the same check as downloading one), so the list never offers a file that
/// would then answer 404.
/// </summary>
public static class CardFilesApi
{
    public sealed record CardFile(long Id, string FileName, string ContentType, long? Size, long ConversationId, long MessageId, DateTimeOffset CreatedAt)
    {
        public string Url => $"/api/attachments/{Id}";
    }

    public static IEndpointRouteBuilder MapCardFilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/deals/{id:long}/files", (long id, ClaimsPrincipal p, NpgsqlDataSource db, CancellationToken ct) => ListAsync(Subject.Deal(id), p, db, ct))
            .RequireAuthorization();
        app.MapGet("/api/leads/{id:long}/files", (long id, ClaimsPrincipal p, NpgsqlDataSource db, CancellationToken ct) => ListAsync(Subject.Lead(id), p, db, ct))
            .RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<List<CardFile>>, ProblemHttpResult>> ListAsync(Subject subject, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var args = new { id = subject.Id, me = me.Id, staff = me.IsStaff };
        await using var connection = await db.OpenConnectionAsync(ct);
        // The check and the files in one snapshot: a card taken out of sight after the check showed what came after.
        await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        var visible = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(subject.IsLead
            ? $"select exists (select 1 from leads l where l.id = @id and {CrmAccess.LeadVisible})"
            : $"select exists (select 1 from deals d where d.id = @id and {CrmAccess.DealVisible})", args, tx, cancellationToken: ct));
        if (!visible)
        {
            return Problems.NotFound($"There is no such {subject.Type}.");
        }
        var files = await connection.QueryAsync<CardFile>(new CommandDefinition($"""
            select a.id, a.file_name, a.content_type, a.size, vc.id as conversation_id, m.id as message_id, m.created_at
            from conversations vc
            join messages m on m.conversation_id = vc.id
            join attachments a on a.message_id = m.id
            where {(subject.IsLead ? "vc.lead_id" : "vc.deal_id")} = @id and (@staff or {CrmAccess.ConversationSeen})
            order by m.created_at desc, a.id desc
            limit 200
            """, args, tx, cancellationToken: ct));
        return TypedResults.Ok(files.ToList());
    }
}
