using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Api;

/// <summary>
/// Delivers replies to the integration's `callbackUrl` as a signed JSON POST; any 2xx is `sent`. Attached files travel
/// inside the body (base64), so the receiver needs no access back to the service.
/// </summary>
public sealed class ApiChannelSender(IHttpClientFactory httpClients, IAttachmentContent files) : IChannelSender
{
    public const string HttpClientName = "api-callback";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => ChannelKinds.Api;

    public bool SupportsAttachments => true;

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var url = message.Channel.Setting("callbackUrl");
        if (string.IsNullOrWhiteSpace(url))
        {
            return new SendOutcome.Failed("The api channel has no callbackUrl to deliver replies to.");
        }
        var attachments = new List<object>(message.Attachments.Count);
        foreach (var file in message.Attachments)
        {
            await using var content = files.OpenRead(file);
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            // A byte[] is written as base64 by the serializer itself: no extra base64 string per file.
            attachments.Add(new { id = file.Id, fileName = file.FileName, contentType = file.ContentType, size = buffer.Length, contentBase64 = buffer.ToArray() });
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "message.created",
            message = new
            {
                id = message.MessageId, conversationId = message.ConversationId, text = message.Text, createdAt = message.CreatedAt,
                replyToExternalId = message.ReplyToExternalId, attachments,
            },
            contact = new { externalId = message.Recipient.Address },
        }, Json);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add(ApiSignature.Header, ApiSignature.Compute(message.Channel.Setting("secret") ?? "", body));
        // Lets the receiver drop a second delivery of the same reply (after a timeout whose outcome we cannot know).
        request.Headers.Add("Idempotency-Key", $"message-{message.MessageId}");
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            var code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new SendOutcome.Sent(null);
            }
            if (code == 429 || code >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
            {
                return new SendOutcome.Retry($"The callback answered {code}.", response.Headers.RetryAfter?.Delta);
            }
            return new SendOutcome.Failed($"The callback refused the message ({code}).");
        }
        catch (HttpRequestException ex)
        {
            return new SendOutcome.Retry($"The callback could not be reached: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SendOutcome.Retry("The callback timed out.");
        }
    }
}
