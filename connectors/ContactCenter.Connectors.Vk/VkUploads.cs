using System.Text.Json;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// Uploads a reply's file to VK for messages.send: JPEG, PNG and GIF as photos (photos.getMessagesUploadServer, the upload,
/// photos.saveMessagesPhoto), anything else as a document (docs.getMessagesUploadServer, the upload, docs.save).
/// Returns the attachment string messages.send takes (`photo{owner}_{id}_{key}`, `doc{owner}_{id}`).
/// </summary>
public sealed class VkUploads(VkApi api, IAttachmentContent files)
{
    /// <summary>VK's limit for a photo in a message; bigger images go as documents.</summary>
    public const long MaxPhotoBytes = 50L * 1024 * 1024;

    /// <summary>VK refused this very file (a format or size it does not take): retrying will not help.</summary>
    public sealed class FileRefusedException(string message) : Exception(message);

    private static readonly HashSet<string> PhotoTypes = new(StringComparer.OrdinalIgnoreCase) { "image/jpeg", "image/png", "image/gif" };

    public async Task<string> UploadAsync(VkSettings settings, long peer, OutboundAttachment file, CancellationToken ct)
    {
        var peerArgs = new Dictionary<string, string> { ["peer_id"] = VkApi.Text(peer) };
        if (PhotoTypes.Contains(file.ContentType) && file.Size <= MaxPhotoBytes)
        {
            var server = await api.CallAsync(settings, "photos.getMessagesUploadServer", peerArgs, ct);
            var uploaded = await PostAsync(server, "photo", file, ct);
            if (uploaded.Str("photo") is not { Length: > 2 } photo || photo == "[]")
            {
                throw new FileRefusedException($"VK did not accept the image \"{file.FileName}\".");
            }
            var saved = await api.CallAsync(settings, "photos.saveMessagesPhoto", new Dictionary<string, string>
            {
                ["photo"] = photo,
                ["server"] = uploaded.Long("server") is { } s ? VkApi.Text(s) : "",
                ["hash"] = uploaded.Str("hash") ?? "",
            }, ct);
            var first = saved.ValueKind == JsonValueKind.Array ? saved.EnumerateArray().FirstOrDefault() : default;
            if (first.Long("id") is not { } id || first.Long("owner_id") is not { } owner)
            {
                throw new FileRefusedException($"VK did not save the image \"{file.FileName}\".");
            }
            return first.Str("access_key") is { Length: > 0 } key ? $"photo{owner}_{id}_{key}" : $"photo{owner}_{id}";
        }
        var docServer = await api.CallAsync(settings, "docs.getMessagesUploadServer",
            new Dictionary<string, string>(peerArgs) { ["type"] = "doc" }, ct);
        var docUploaded = await PostAsync(docServer, "file", file, ct);
        if (docUploaded.Str("file") is not { Length: > 0 } token)
        {
            throw new FileRefusedException($"VK did not accept the file \"{file.FileName}\".");
        }
        var doc = await api.CallAsync(settings, "docs.save", new Dictionary<string, string> { ["file"] = token, ["title"] = file.FileName }, ct);
        // docs.save answers {type: "doc", doc: {...}} (older versions: an array of docs).
        var body = doc.Obj("doc") ?? (doc.ValueKind == JsonValueKind.Array ? doc.EnumerateArray().FirstOrDefault() : default);
        if (body.Long("id") is not { } docId || body.Long("owner_id") is not { } docOwner)
        {
            throw new FileRefusedException($"VK did not save the file \"{file.FileName}\".");
        }
        return $"doc{docOwner}_{docId}";
    }

    private async Task<JsonElement> PostAsync(JsonElement server, string field, OutboundAttachment file, CancellationToken ct)
    {
        if (server.Str("upload_url") is not { Length: > 0 } url || !Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            throw new VkApiException(0, "VK gave no upload address.");
        }
        await using var content = files.OpenRead(file);
        return await api.UploadAsync(url, field, file.FileName, file.ContentType, content, ct);
    }
}
