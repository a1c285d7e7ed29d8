using ContactCenter.Api.Infrastructure;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Storage;

/// <summary>A file uploaded in a multipart part named `file` and saved by <see cref="AttachmentStore"/>: cleaned name, content type, size, path.</summary>
public sealed record UploadedFile(string FileName, string ContentType, long Size, string Path)
{
    /// <summary>
    /// Reads the one file of a multipart request (part `file`) of at most <paramref name="limit"/> bytes and saves it:
    /// the upload, or the problem to answer (400 for no or an unreadable form or an empty file, 413 for too large).
    /// </summary>
    public static async Task<(UploadedFile? File, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, long limit, AttachmentStore files, CancellationToken ct)
    {
        var tooLarge = TypedResults.Problem($"A file may be at most {limit / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (!request.HasFormContentType)
        {
            return (null, Problems.BadRequest("Send the file as multipart/form-data in a part named 'file'."));
        }
        if (request.ContentLength > limit + (64 * 1024))
        {
            return (null, tooLarge);
        }
        IFormFile? file;
        try
        {
            file = (await request.ReadFormAsync(ct)).Files.GetFile("file");
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? tooLarge : Problems.BadRequest("The upload could not be read."));
        }
        if (file is null || file.Length == 0)
        {
            return (null, Problems.BadRequest("Send one non-empty file in a part named 'file'."));
        }
        if (file.Length > limit)
        {
            return (null, tooLarge);
        }
        string path;
        await using (var content = file.OpenReadStream())
        {
            path = await files.SaveAsync(content, ct);
        }
        var contentType = string.IsNullOrWhiteSpace(file.ContentType) || file.ContentType.Length > 200 ? "application/octet-stream" : file.ContentType;
        return (new UploadedFile(FileNames.Clean(file.FileName), contentType, file.Length, path), null);
    }
}
