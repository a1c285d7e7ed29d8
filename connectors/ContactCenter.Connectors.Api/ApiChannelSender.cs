using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContactCenter.Core;

namespace ContactCenter.Connectors.Api;

/// <summary>Delivers replies to the integration's `callbackUrl` as a signed JSON POST; any 2xx is `sent`.</summary>
public sealed class ApiChannelSender(IHttpClientFactory httpClients) : IChannelSender
{
    public const string HttpClientName = "api-callback";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => ChannelKinds.Api;

    public async Task<SendOutcome> SendAsync(OutboundMessage message, CancellationToken cancellationToken)
    {
        var url = message.Channel.Setting("callbackUrl");
        if (string.IsNullOrWhiteSpace(url))
        {
            return new SendOutcome.Failed("The api channel has no callbackUrl to deliver replies to.");
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            @event = "message.created",
            message = new { id = message.MessageId, conversationId = message.ConversationId, text = message.Text, createdAt = message.CreatedAt },
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
