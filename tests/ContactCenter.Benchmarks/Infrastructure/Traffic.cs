using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContactCenter.Connectors.Api;

namespace ContactCenter.Benchmarks.Infrastructure;

/// <summary>Where inbound traffic goes: one api channel (HMAC-signed) and one Telegram channel (webhook secret).</summary>
public sealed record IngestTargets(long ApiChannelId, string ApiSecret, long? TelegramChannelId, string TelegramSecret);

/// <summary>
/// Inbound messages as the providers send them: the `api` channel's signed JSON and Telegram's Bot API
/// `Update`, half each. Of all messages 10% come from new contacts and 90% from returning ones; 1% of the
/// requests (configurable) are redeliveries of a message sent before, which must not be stored twice.
/// </summary>
/// <param name="contactTag">Names contacts: the same tag means the same contacts (see ContactPool).</param>
/// <param name="messageTag">Makes message ids unique to this traffic (api externalId prefix).</param>
/// <param name="firstSequence">Where message numbers start (Telegram message ids must not repeat across runs).</param>
/// <param name="knownContacts">Contacts 1..N already exist (returning from the first message on).</param>
public sealed class Traffic(IngestTargets targets, string contactTag, string messageTag, long firstSequence, int knownContacts,
    double redeliveryShare = 0.01, double newShare = 0.10)
{
    public sealed record Sent(HttpRequestMessage Request, string ExternalId, bool Redelivery);

    private sealed record Copy(bool Telegram, string Url, byte[] Body, string ExternalId);

    private long sequence = firstSequence;
    private int contacts = knownContacts;
    private readonly Copy?[] recent = new Copy?[1024];
    private long recentCount;

    public long Sequence => Interlocked.Read(ref sequence);

    public int Contacts => Volatile.Read(ref contacts);

    public static string ApiContact(string contactTag, int contact) => $"{contactTag}-contact-{contact}";

    public static long TelegramChat(int contact) => 7_000_000_000L + contact;

    public static string TelegramExternalId(long chatId, int messageId) =>
        chatId.ToString(CultureInfo.InvariantCulture) + ":" + messageId.ToString(CultureInfo.InvariantCulture);

    public Sent Next(string baseUrl, bool? telegram = null)
    {
        var random = Random.Shared;
        if (random.NextDouble() < redeliveryShare && Interlocked.Read(ref recentCount) > 0)
        {
            var copy = recent[random.Next((int)Math.Min(Interlocked.Read(ref recentCount), recent.Length))];
            if (copy is not null)
            {
                return new Sent(Build(copy with { Url = Rebase(copy.Url, baseUrl) }), copy.ExternalId, true);
            }
        }
        var seq = Interlocked.Increment(ref sequence);
        var known = Volatile.Read(ref contacts);
        var contact = known == 0 || random.NextDouble() < newShare ? Interlocked.Increment(ref contacts) : random.Next(1, known + 1);
        var useTelegram = telegram ?? (targets.TelegramChannelId is not null && (seq & 1) == 0);
        var text = $"Hello! A question about order #{seq}: when will it ship, and can I change the address? Thanks, customer {contact}.";
        Copy made;
        if (useTelegram)
        {
            var chatId = TelegramChat(contact);
            var messageId = (int)seq;
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                update_id = seq,
                message = new
                {
                    message_id = messageId,
                    from = new { id = chatId, is_bot = false, first_name = "Customer", last_name = contact.ToString(CultureInfo.InvariantCulture), language_code = "en" },
                    chat = new { id = chatId, first_name = "Customer", last_name = contact.ToString(CultureInfo.InvariantCulture), type = "private" },
                    date = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    text,
                },
            });
            made = new Copy(true, $"{baseUrl}/webhooks/telegram/{targets.TelegramChannelId}", body, TelegramExternalId(chatId, messageId));
        }
        else
        {
            var externalId = $"{messageTag}-{seq}";
            var body = JsonSerializer.SerializeToUtf8Bytes(new
            {
                externalId,
                contact = new { externalId = ApiContact(contactTag, contact), name = $"Customer {contact}" },
                text,
                sentAt = DateTimeOffset.UtcNow,
            }, JsonOptions);
            made = new Copy(false, $"{baseUrl}/api/inbound/{targets.ApiChannelId}", body, externalId);
        }
        var slot = Interlocked.Increment(ref recentCount) - 1;
        recent[slot % recent.Length] = made;
        return new Sent(Build(made), made.ExternalId, false);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string Rebase(string url, string baseUrl)
    {
        var path = new Uri(url).PathAndQuery;
        return baseUrl + path;
    }

    private HttpRequestMessage Build(Copy c)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, c.Url) { Content = new ByteArrayContent(c.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (c.Telegram)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", targets.TelegramSecret);
        }
        else
        {
            request.Headers.Add(ApiSignature.Header, ApiSignature.Compute(targets.ApiSecret, c.Body));
        }
        return request;
    }

    /// <summary>A 500-byte JSON body like the api channel's, for the bare Kestrel ceiling.</summary>
    public static byte[] FiveHundredBytes(long seq)
    {
        var text = new string('x', 380);
        return Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            externalId = $"bare-{seq}",
            contact = new { externalId = $"contact-{seq % 1000}", name = "Customer" },
            text,
            sentAt = DateTimeOffset.UtcNow,
        }, JsonOptions));
    }
}
