using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Fields;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>A lead or deal as automation sees it: for conditions, placeholders and actions.</summary>
public sealed class SubjectContext
{
    public string Type { get; init; } = "";
    public long Id { get; init; }
    public string Title { get; init; } = "";
    public decimal Amount { get; init; }
    public string Currency { get; init; } = "USD";
    public long? PipelineId { get; init; }
    public long? StageId { get; init; }
    public long? AssigneeId { get; init; }
    public string? AssigneeName { get; init; }
    public long? ContactId { get; init; }
    public string? ContactName { get; init; }
    public string? ContactEmail { get; init; }
    public string? ContactPhone { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? Source { get; init; }
    public string? Status { get; init; }
    public string? FieldsJson { get; init; }

    public Subject Subject => new(Type, Id);

    public static Task<SubjectContext?> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Subject subject, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<SubjectContext>(new CommandDefinition(subject.IsLead
            ? $"""
              select 'lead' as type, l.id, l.title, 0::numeric as amount, {CrmSettingsService.CurrencySql} as currency, null::bigint as pipeline_id, null::bigint as stage_id,
                     l.assignee_id, u.name as assignee_name, c.id as contact_id, coalesce(c.name, c.email, c.phone) as contact_name,
                     c.email as contact_email, c.phone as contact_phone, null::timestamptz as closed_at, l.source, l.status, l.fields::text as fields_json
              from leads l join contacts c on c.id = l.contact_id left join users u on u.id = l.assignee_id where l.id = @id
              """
            : """
              select 'deal' as type, d.id, d.title, d.amount, d.currency, d.pipeline_id, d.stage_id,
                     d.assignee_id, u.name as assignee_name, c.id as contact_id, coalesce(c.name, c.email, c.phone) as contact_name,
                     c.email as contact_email, c.phone as contact_phone, d.closed_at, d.source, coalesce(d.outcome, 'open') as status, d.fields::text as fields_json
              from deals d left join contacts c on c.id = d.contact_id left join users u on u.id = d.assignee_id where d.id = @id
              """, new { id = subject.Id }, tx, cancellationToken: ct));

    /// <summary>Fills {contact.name}, {contact.email}, {contact.phone}, {deal.title}, {deal.amount}, {deal.currency}, {lead.title}, {assignee.name}.</summary>
    public string Render(string template)
    {
        var values = new Dictionary<string, string>
        {
            ["{contact.name}"] = ContactName ?? "",
            ["{contact.email}"] = ContactEmail ?? "",
            ["{contact.phone}"] = ContactPhone ?? "",
            ["{deal.title}"] = Title,
            ["{deal.amount}"] = Amount.ToString("0.##", CultureInfo.InvariantCulture),
            ["{deal.currency}"] = Currency,
            ["{lead.title}"] = Title,
            ["{assignee.name}"] = AssigneeName ?? "",
        };
        return values.Aggregate(template, (text, kv) => text.Replace(kv.Key, kv.Value, StringComparison.Ordinal));
    }

    /// <summary>All conditions hold (fields: amount, pipelineId, stageId from the subject; channelKind, source from the event).</summary>
    public bool Matches(JsonArray conditions, JsonObject @event)
    {
        foreach (var c in conditions.OfType<JsonObject>())
        {
            string? actual = c["field"]!.GetValue<string>() switch
            {
                "amount" => Amount.ToString(CultureInfo.InvariantCulture),
                "pipelineId" => PipelineId?.ToString(CultureInfo.InvariantCulture),
                "stageId" => StageId?.ToString(CultureInfo.InvariantCulture),
                "channelKind" => @event["channelKind"]?.GetValue<string>(),
                "source" => @event["source"]?.GetValue<string>() ?? Source,
                var f when f.StartsWith("field.", StringComparison.Ordinal) => CustomField(f[6..]),
                _ => null,
            };
            var expected = c["value"]!.ToString();
            if (!Holds(c["op"]!.GetValue<string>(), actual, expected))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>A custom field's value as text (a multi-list's choices joined by ", ", so `contains` tests one of them); null when unset.</summary>
    private string? CustomField(string key) =>
        FieldValues.Parse(FieldsJson).TryGetValue(key, out var value) && value.ValueKind is not JsonValueKind.Null
            ? FieldType.All["string"].Print(value)
            : null;

    private static bool Holds(string op, string? actual, string expected)
    {
        if (actual is null)
        {
            return op == "ne";
        }
        var numeric = decimal.TryParse(actual, NumberStyles.Number, CultureInfo.InvariantCulture, out var a)
            & decimal.TryParse(expected, NumberStyles.Number, CultureInfo.InvariantCulture, out var e);
        var cmp = numeric ? a.CompareTo(e) : string.Compare(actual, expected, StringComparison.OrdinalIgnoreCase);
        return op switch
        {
            "eq" => cmp == 0,
            "ne" => cmp != 0,
            "gt" => cmp > 0,
            "gte" => cmp >= 0,
            "lt" => cmp < 0,
            "lte" => cmp <= 0,
            "contains" => actual.Contains(expected, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }
}
