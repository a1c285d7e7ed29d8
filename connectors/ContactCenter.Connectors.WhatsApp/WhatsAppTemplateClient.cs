using System.Text.Json.Nodes;
using ContactCenter.Core;

namespace ContactCenter.Connectors.WhatsApp;

/// <summary>The approved templates of a channel's WhatsApp Business Account (`GET /{businessAccountId}/message_templates`).</summary>
public sealed class WhatsAppTemplateClient(WhatsAppGraph graph)
{
    /// <summary>Pages of 100 followed at most this many times: a business with more approved templates is rare.</summary>
    public const int MaxPages = 5;

    /// <returns>The approved templates, or the problem in plain words (no account id set, Meta refused, unreachable).</returns>
    public async Task<(IReadOnlyList<WhatsAppTemplate>? Templates, string? Problem)> ListAsync(ChannelInfo channel, CancellationToken ct)
    {
        var settings = WhatsAppSettings.From(channel);
        if (settings.BusinessAccountId is not { } account)
        {
            return (null, "The channel has no businessAccountId (WhatsApp Business Account ID): set it to list and send templates.");
        }
        var list = new List<WhatsAppTemplate>();
        string? after = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var path = $"{Uri.EscapeDataString(account)}/message_templates?fields=name,language,status,category,components&limit=100"
                + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
            var answer = await graph.GetAsync(settings, path, ct);
            if (!answer.Ok)
            {
                return (null, answer.Network ?? $"WhatsApp refused to list the templates: {(answer.Error is { } e ? WhatsAppErrors.Describe(e.Code, e.Message) : answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))}.");
            }
            list.AddRange(WhatsAppTemplate.ParseApproved(answer.Body));
            after = answer.Body?["paging"]?["next"] is not null && answer.Body["paging"]?["cursors"]?["after"] is JsonValue v && v.TryGetValue<string>(out var cursor) ? cursor : null;
            if (after is null)
            {
                break;
            }
        }
        return (list.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Language, StringComparer.Ordinal).ToList(), null);
    }
}
