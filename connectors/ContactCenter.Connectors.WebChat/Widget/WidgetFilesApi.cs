using System.Globalization;
using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// Files in the widget, with the visitor token: a visitor's upload becomes an inbound message with the file as its
/// attachment (through the pipeline, once per client message id), and a visitor downloads the files of their own
/// conversation only. Served as downloads that the browser may not sniff or run.
/// </summary>
public static class WidgetFilesApi
{
    public static RouteGroupBuilder MapWidgetFiles(this RouteGroupBuilder group)
    {
        group.MapPost("/attachments", Upload).DisableAntiforgery();
        group.MapGet("/attachments/{id:long}", Download);
        return group;
    }

    private static async Task<Results<Created<WidgetMessage>, ProblemHttpResult, ValidationProblem>> Upload(
        HttpContext http, WidgetGate gate, IWebChatStore store, VisitorMessages messages, IOptions<WebChatOptions> options, CancellationToken ct)
    {
        var limits = options.Value;
        var (visitor, channel, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.WritesAndIp, ct);
        if (visitor is null)
        {
            return refused!;
        }
        var max = limits.MaxUploadBytes;
        var tooLarge = TypedResults.Problem($"A file may be at most {Megabytes(max)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem("Send the file as multipart/form-data in a part named 'file'.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (http.Request.ContentLength > max + (64 * 1024))
        {
            return tooLarge;
        }
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? tooLarge
                : TypedResults.Problem("The upload could not be read.", statusCode: StatusCodes.Status400BadRequest);
        }
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
        {
            return TypedResults.Problem("Send one non-empty file in a part named 'file'.", statusCode: StatusCodes.Status400BadRequest);
        }
        if (file.Length > max)
        {
            return tooLarge;
        }
        var text = ContactFields.Clean(form["text"].ToString());
        var clientMessageId = form["clientMessageId"].ToString() is { Length: > 0 } given ? given : Guid.NewGuid().ToString("N");
        var badId = !VisitorMessageIds.IsValid(clientMessageId);
        if (badId || text is { Length: > 0 } && text.Length > limits.MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [badId ? "clientMessageId" : "text"] = [badId
                    ? "clientMessageId is 1 to 100 characters, without control characters." : $"text is at most {limits.MaxTextLength} characters."],
            });
        }
        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, ct);
        }
        if (UploadTypes.Accept(file.FileName, content) is not { } contentType)
        {
            return TypedResults.Problem("Only images, PDF, office documents and text files may be sent (" + string.Join(", ", UploadTypes.Extensions) + ").",
                statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        if (await VisitorDetails.PreChatMissingAsync(channel!, visitor, store, ct) is { } fillFirst)
        {
            return fillFirst;
        }
        // The raw name goes to the pipeline, whose one file-name cleaner (the same as managers' uploads) strips paths.
        var attachment = new InboundAttachment(file.FileName, contentType, content.LongLength, ExternalRef: null, content);
        var message = await messages.IngestAsync(new VisitorMessages.Draft(visitor, clientMessageId, text, [attachment]), http, ct);
        return TypedResults.Created((string?)null, message);
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(
        long id, HttpContext http, WidgetGate gate, IWebChatStore store, IAttachmentContent files, CancellationToken ct)
    {
        var (visitor, _, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.Reads, ct);
        if (visitor is null)
        {
            return refused!;
        }
        if (await store.VisitorFileAsync(visitor, id, ct) is not { } file)
        {
            return TypedResults.Problem("There is no such file.", statusCode: StatusCodes.Status404NotFound);
        }
        if (file.StoragePath.Length == 0)
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem("The file is not ready yet.", statusCode: StatusCodes.Status409Conflict);
        }
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.ContentSecurityPolicy = "sandbox; default-src 'none'";
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(files.OpenRead(file), InlineImageTypes.Inline(file.ContentType) ?? "application/octet-stream", file.FileName);
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture);
}
