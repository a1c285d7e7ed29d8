using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Api.Storage;
using ContactCenter.Core;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// Attachment downloads, for those who may see the conversation only; served as downloads, never rendered inline as HTML.
/// Uploads for replies: a file belongs to its uploader and conversation until a reply takes it.
/// </summary>
public static class AttachmentsApi
{
    private sealed record Row(long ConversationId, string FileName, string ContentType, string? StoragePath, bool Sent, long? UploadedBy, string? FetchError);

    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/attachments/{id:long}", Download).RequireAuthorization();
        app.MapPost("/api/conversations/{id:long}/attachments", Upload).RequireAuthorization().DisableAntiforgery();
        return app;
    }

    private static async Task<Results<Created<AttachmentDto>, ProblemHttpResult>> Upload(
        long id, HttpRequest request, ClaimsPrincipal principal, NpgsqlDataSource db, ConversationQueries queries, AttachmentStore files,
        Microsoft.Extensions.Options.IOptions<StorageOptions> options, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        if (!await queries.CanSeeAsync(me, id, ct))
        {
            return Problems.NotFound("There is no such conversation.");
        }
        var (file, problem) = await UploadedFile.ReadAsync(request, options.Value.MaxUploadBytes, files, ct);
        if (file is null)
        {
            return problem!;
        }
        long attachmentId;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            attachmentId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into attachments (message_id, file_name, content_type, size, storage_path, uploaded_by, upload_conversation_id)
                values (null, @fileName, @contentType, @size, @path, @me, @id) returning id
                """, new { fileName = file.FileName, contentType = file.ContentType, size = file.Size, path = file.Path, me = me.Id, id }, cancellationToken: ct));
        }
        var url = $"/api/attachments/{attachmentId}";
        return TypedResults.Created(url, new AttachmentDto(attachmentId, file.FileName, file.ContentType, file.Size, url));
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        long id, ClaimsPrincipal principal, NpgsqlDataSource db, ConversationQueries queries, AttachmentStore files, HttpContext http, CancellationToken ct)
    {
        Row? row;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition("""
                select coalesce(m.conversation_id, a.upload_conversation_id) as conversation_id, a.file_name, a.content_type, a.storage_path,
                       m.id is not null as sent, a.uploaded_by, a.fetch_error
                from attachments a left join messages m on m.id = a.message_id
                where a.id = @id and (m.id is not null or a.upload_conversation_id is not null)
                """, new { id }, cancellationToken: ct));
        }
        var me = CurrentUser.From(principal);
        // An upload no reply has taken yet (a draft, or a canned response's file copied for a reply) is its uploader's alone.
        if (row is null || (!row.Sent && row.UploadedBy != me.Id) || !await queries.CanSeeAsync(me, row.ConversationId, ct))
        {
            return Problems.NotFound("There is no such attachment.");
        }
        if (row.StoragePath is null && row.FetchError is not null)
        {
            return TypedResults.Problem("The file could not be fetched from the provider.", statusCode: StatusCodes.Status410Gone,
                extensions: new Dictionary<string, object?> { ["reason"] = row.FetchError });
        }
        if (row.StoragePath is null)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem("The file is still being fetched from the provider.", statusCode: StatusCodes.Status409Conflict);
        }
        http.Response.Headers["X-Content-Type-Options"] = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        var safeType = Core.InlineImageTypes.Inline(row.ContentType) ?? Core.InlineImageTypes.PlayableAudio(row.ContentType) ?? "application/octet-stream";
        return TypedResults.File(files.Open(row.StoragePath), safeType, row.FileName);
    }
}
