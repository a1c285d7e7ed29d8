using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Api.Storage;
using ContactCenter.Core;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ContactCenter.Api.Features.Canned;

/// <summary>
/// Files a canned response carries. They are stored like reply uploads (AttachmentStore) but belong to the response;
/// rendering the response copies each into a fresh upload of the conversation, which the reply then takes by id —
/// the one existing path for files of a reply, with its sweeping of unsent uploads.
/// </summary>
public static class CannedFilesApi
{
    public const int MaxFiles = 10;

    public static void Map(RouteGroupBuilder group)
    {
        group.MapPost("/{id:long}/attachments", Upload).DisableAntiforgery();
        group.MapDelete("/{id:long}/attachments/{fileId:long}", Remove);
    }

    private static async Task<Results<Created<CannedResponseDto>, ProblemHttpResult>> Upload(
        long id, HttpRequest request, ClaimsPrincipal principal, CannedResponseStore store, AttachmentStore files, IOptions<StorageOptions> options,
        CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var row = await store.GetAsync(me, id, ct);
        if (row is null)
        {
            return CannedResponsesApi.Missing();
        }
        if (row.Shared && !me.IsStaff)
        {
            return CannedResponsesApi.SharedIsStaffs();
        }
        if ((await store.FilesAsync([id], ct)).Count >= MaxFiles)
        {
            return Problems.BadRequest($"A canned response carries at most {MaxFiles} files.");
        }
        var (file, problem) = await UploadedFile.ReadAsync(request, options.Value.MaxUploadBytes, files, ct);
        if (file is null)
        {
            return problem!;
        }
        await store.AddFileAsync(id, file.FileName, file.ContentType, file.Size, file.Path, ct);
        return TypedResults.Created($"/api/canned-responses/{id}", (await CannedResponsesApi.OneAsync(me, id, store, ct))!);
    }

    private static async Task<Results<Ok<CannedResponseDto>, ProblemHttpResult>> Remove(
        long id, long fileId, ClaimsPrincipal principal, CannedResponseStore store, AttachmentStore files, ILogger<CannedResponseStore> logger, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var row = await store.GetAsync(me, id, ct);
        if (row is null)
        {
            return CannedResponsesApi.Missing();
        }
        if (row.Shared && !me.IsStaff)
        {
            return CannedResponsesApi.SharedIsStaffs();
        }
        if (await store.DeleteFileAsync(id, fileId, ct) is not { } path)
        {
            return Problems.NotFound("The canned response has no such file.");
        }
        RemoveFiles(files, [path], logger);
        return TypedResults.Ok((await CannedResponsesApi.OneAsync(me, id, store, ct))!);
    }

    /// <summary>Removes files from disk after their rows are gone; a file left behind is only space, never an error for the caller.</summary>
    internal static void RemoveFiles(AttachmentStore files, IEnumerable<string> paths, ILogger logger)
    {
        foreach (var path in paths)
        {
            try
            {
                files.Delete(path);
            }
            catch (IOException ex)
            {
                logger.LogWarning(ex, "Could not remove canned response file {Path}", path);
            }
        }
    }

    /// <summary>Copies a response's files into fresh uploads of a conversation, owned by the caller (ids a reply may take).</summary>
    public sealed class Copier(NpgsqlDataSource db, CannedResponseStore store, AttachmentStore files)
    {
        public async Task<IReadOnlyList<AttachmentDto>> CopyAsync(CurrentUser me, long responseId, long conversationId, CancellationToken ct)
        {
            var sources = await store.FilesAsync([responseId], ct);
            var copies = new List<AttachmentDto>(sources.Count);
            foreach (var source in sources)
            {
                string path;
                await using (var content = files.Open(source.StoragePath))
                {
                    path = await files.SaveAsync(content, ct);
                }
                await using var connection = await db.OpenConnectionAsync(ct);
                var attachmentId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                    insert into attachments (message_id, file_name, content_type, size, storage_path, uploaded_by, upload_conversation_id)
                    values (null, @fileName, @contentType, @size, @path, @me, @conversationId) returning id
                    """, new { source.FileName, source.ContentType, source.Size, path, me = me.Id, conversationId }, cancellationToken: ct));
                copies.Add(new AttachmentDto(attachmentId, source.FileName, source.ContentType, source.Size, $"/api/attachments/{attachmentId}"));
            }
            return copies;
        }
    }
}
