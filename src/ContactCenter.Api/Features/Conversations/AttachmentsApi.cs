using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Api.Storage;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>Attachment downloads, for those who may see the conversation only; served as downloads, never rendered inline as HTML.</summary>
public static class AttachmentsApi
{
    private sealed record Row(long ConversationId, string FileName, string ContentType, string? StoragePath);

    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/attachments/{id:long}", Download).RequireAuthorization();
        return app;
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        long id, ClaimsPrincipal principal, NpgsqlDataSource db, ConversationQueries queries, AttachmentStore files, HttpContext http, CancellationToken ct)
    {
        Row? row;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
                select m.conversation_id, a.file_name, a.content_type, a.storage_path
                from attachments a join messages m on m.id = a.message_id where a.id = @id
                """, new { id }, cancellationToken: ct));
        }
        if (row is null || !await queries.CanSeeAsync(CurrentUser.From(principal), row.ConversationId, ct))
        {
            return Problems.NotFound("There is no such attachment.");
        }
        if (row.StoragePath is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem("The file is still being fetched from the provider.", statusCode: StatusCodes.Status409Conflict);
        }
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        var safeType = row.ContentType.StartsWith("image/", StringComparison.Ordinal) && !row.ContentType.Contains("svg", StringComparison.Ordinal)
            ? row.ContentType : "application/octet-stream";
        return TypedResults.File(files.Open(row.StoragePath), safeType, row.FileName);
    }
}
