using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Core;
using ContactCenter.Core.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ContactCenter.Connectors.WebChat.Forms;

/// <summary>One posted form: its values as text, checked against the channel's fields, turned into an inbound message.</summary>
public sealed class FormSubmission(IReadOnlyDictionary<string, string> values)
{
    /// <summary>Hidden from people by the snippet; a filled value means a bot.</summary>
    public const string Honeypot = "website_url";

    public static readonly string[] UtmNames = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

    public string? this[string name] => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    public bool IsBot => this[Honeypot] is not null;

    /// <summary>Reads JSON (an object of text values) or a form post; the error is the detail of a 400/415.</summary>
    public static async Task<(FormSubmission? Submission, int Status, string? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.HasJsonContentType())
        {
            JsonNode? body;
            try
            {
                var bytes = await RawBody.ReadAsync(request.Body, request.ContentLength, ct);
                if (bytes is null)
                {
                    return (null, 413, "The request body is larger than 1 MB.");
                }
                body = JsonNode.Parse(JsonStrings.RepairLoneSurrogates(bytes));
            }
            catch (JsonException)
            {
                return (null, 400, "The request body is not valid JSON.");
            }
            if (body is not JsonObject fields)
            {
                return (null, 400, "The body must be a JSON object of field names and values.");
            }
            foreach (var (name, value) in fields)
            {
                switch (value?.GetValueKind())
                {
                    case null or JsonValueKind.Null:
                        break;
                    case JsonValueKind.String:
                        values[name] = value.GetValue<string>();
                        break;
                    case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                        values[name] = value.ToJsonString();
                        break;
                    default:
                        return (null, 400, $"The value of '{name}' must be text.");
                }
            }
        }
        else if (request.HasFormContentType && request.ContentType!.Contains("urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                foreach (var (name, value) in await request.ReadFormAsync(ct))
                {
                    values[name] = value.ToString();
                }
            }
            catch (InvalidDataException ex)
            {
                return (null, 400, "The form could not be read: " + ex.Message);
            }
        }
        else
        {
            return (null, 415, "Send the form as application/json or application/x-www-form-urlencoded.");
        }
        // NUL characters (`\u0000` in JSON) are removed, as from every customer's text (PostgreSQL cannot store them);
        // the form reader itself refuses `%00` (400 above).
        var clean = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            clean.TryAdd(ContactFields.WithoutNul(name)!, ContactFields.WithoutNul(value)!);
        }
        return (new FormSubmission(clean), 200, null);
    }

    /// <summary>The configured fields' values (unknown fields are dropped) or validation errors by field.</summary>
    /// <param name="phoneRegion">The installation's country (`Crm:PhoneRegion`, e.g. `RU`), whose national form of a phone
    /// number ("8 (916) 123-45-67") is read into E.164 like a number typed into the app; null: only the international form is.</param>
    public Dictionary<string, string[]> Validate(IReadOnlyList<FormField> fields, WebChatOptions limits, string? phoneRegion,
        out List<(FormField Field, string Value)> accepted)
    {
        var errors = new Dictionary<string, string[]>();
        accepted = [];
        foreach (var field in fields)
        {
            var value = this[field.Name];
            if (value is null)
            {
                if (field.Required)
                {
                    errors[field.Name] = [$"{field.Label} is required."];
                }
                continue;
            }
            var max = field.Type switch { "textarea" => limits.MaxTextLength, "email" => ContactAddresses.MaxEmailLength, _ => limits.MaxFieldLength };
            string? error = null;
            if (value.Length > max)
            {
                error = $"{field.Label} is at most {max} characters.";
            }
            else if (field.Type == "email" && !ContactAddresses.IsEmail(value))
            {
                error = $"{field.Label} is not a valid email address.";
            }
            else if (field.Type == "phone")
            {
                // E.164 when the number reads as one (so it matches the customer who has it, and can be called or texted);
                // else kept as its digits, as before (a lead is not refused for a number the library does not know).
                var phone = E164.NormalizeValid(value, phoneRegion) ?? ContactAddresses.NormalizePhone(value);
                error = phone is null ? $"{field.Label} is not a valid phone number." : null;
                value = phone ?? value;
            }
            if (error is not null)
            {
                errors[field.Name] = [error];
                continue;
            }
            accepted.Add((field, value));
        }
        if (errors.Count == 0 && accepted.Count == 0)
        {
            errors["form"] = ["The form is empty."];
        }
        if (this["submissionId"] is { Length: > 100 })
        {
            errors["submissionId"] = ["submissionId is at most 100 characters."];
        }
        return errors;
    }

    public InboundMessage ToInbound(ChannelInfo channel, IReadOnlyList<(FormField Field, string Value)> accepted, HttpRequest request)
    {
        string? Pick(string type, params string[] names) =>
            accepted.FirstOrDefault(a => a.Field.Type == type && (names.Length == 0 || names.Contains(a.Field.Name, StringComparer.OrdinalIgnoreCase))).Value;
        var email = Pick("email")?.ToLowerInvariant();
        var phone = Pick("phone");
        var name = Pick("text", "name", "full_name", "fullName")
            ?? string.Join(' ', new[] { Pick("text", "first_name", "firstName"), Pick("text", "last_name", "lastName") }.Where(n => n is not null)) switch { "" => null, var n => n };

        var metadata = accepted.ToDictionary(a => a.Field.Name, a => a.Value);
        var page = request.Headers.Referer.ToString();
        var pageQuery = Uri.TryCreate(page, UriKind.Absolute, out var pageUri) ? QueryHelpers.ParseQuery(pageUri.Query) : [];
        var source = new List<string>();
        foreach (var utm in UtmNames)
        {
            var value = this[utm] ?? (pageQuery.TryGetValue(utm, out var fromPage) ? ContactFields.Clean(fromPage.ToString()) : null);
            if (value is not null)
            {
                value = Truncate(value, 200);
                metadata[utm] = value;
                source.Add($"{utm}={value}");
            }
        }
        if (this["referrer"] is { } referrer)
        {
            metadata["referrer"] = Truncate(referrer, 2000);
            source.Add("referrer=" + metadata["referrer"]);
        }
        if (page.Length > 0)
        {
            metadata["page"] = Truncate(page, 2000);
        }
        var text = string.Join('\n', accepted.Select(a => $"{a.Field.Label}: {a.Value}"));
        // A site's own submissionId makes a retried post one submission; a weak id reused by a different person's post
        // (a site script's counter, a cached page) must not drop it as a repeat or join them: the id is kept with a
        // fingerprint of what was sent, so only the same fields under the same id are one submission.
        var submissionId = this["submissionId"] is { } given ? $"{given}#{Fingerprint(text, name, email, phone)}" : Guid.NewGuid().ToString("N");
        // Anyone can type someone else's email into a form: each submission is its own contact (the address is the
        // submission, not the email), never matched to a known customer by what was typed (issue 15); a contact with the
        // same email or phone is only suggested as a possible duplicate.
        return new InboundMessage(channel.Id, "form:" + submissionId, ThreadKey: null,
            new SenderIdentity($"form:{channel.Id}:{submissionId}", name, email, phone) { Unverified = true }, text, Html: null, Attachments: [],
            SentAt: null, ReplyToExternalId: null, JsonSerializer.Serialize(metadata))
        {
            Source = source.Count > 0 ? string.Join("; ", source) : "web form",
            Metadata = metadata,
        };
    }

    private static string Fingerprint(params string?[] parts) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))[..16].ToLowerInvariant();

    /// <summary>Where a plain browser post goes next: the posted `redirect` (only to an allowed page), the channel's thank-you URL, or back.</summary>
    public string? RedirectTarget(ChannelInfo channel, HttpRequest request)
    {
        if (this["redirect"] is { } wanted && Uri.TryCreate(wanted, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var origin = uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
            var allowed = SiteOrigins.Allowed(channel);
            if (allowed.Contains(origin) || (allowed.Count == 0 && SiteOrigins.Normalize(SiteOrigins.Of(request)) == origin))
            {
                return uri.AbsoluteUri;
            }
        }
        if (channel.Setting("redirectUrl") is { Length: > 0 } configured)
        {
            return configured;
        }
        var referer = request.Headers.Referer.ToString();
        return Uri.TryCreate(referer, UriKind.Absolute, out var back) && back.Scheme is "http" or "https" ? back.AbsoluteUri : null;
    }

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
