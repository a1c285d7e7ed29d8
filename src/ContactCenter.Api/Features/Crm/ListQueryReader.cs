using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>Reads typed list-view parameters from a query string, collecting a 400 entry per bad one.</summary>
public sealed class ListQueryReader(IQueryCollection query)
{
    public Validation Errors { get; } = new();

    public string? Text(string name, int max = 200)
    {
        var value = query[name].ToString();
        if (value.Length == 0)
        {
            return null;
        }
        if (value.Length > max)
        {
            Errors.Add(name, $"{name} is at most {max} characters.");
        }
        return value;
    }

    public long? Long(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return id;
        }
        Errors.Add(name, $"{name} is a number (an id).");
        return null;
    }

    public decimal? Decimal(string name)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }
        if (decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }
        Errors.Add(name, $"{name} is a number.");
        return null;
    }

    public bool? Bool(string name)
    {
        var value = Text(name);
        switch (value)
        {
            case null: return null;
            case "true": return true;
            case "false": return false;
            default:
                Errors.Add(name, $"{name} is true or false.");
                return null;
        }
    }

    /// <summary>A date (yyyy-mm-dd, the whole day in UTC) or a date-time. `end` turns it into an exclusive upper bound.</summary>
    public DateTime? Date(string name, bool end)
    {
        var value = Text(name);
        if (value is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 1900 and <= 9998)
        {
            var start = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            return end ? start.AddDays(1) : start;
        }
        // Years are bounded so that the exclusive end (a day or a tick later) still exists: 9999-12-31 is a 400, not a 500.
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at.UtcDateTime.Year is >= 1900 and <= 9998)
        {
            return end ? at.UtcDateTime.AddTicks(1) : at.UtcDateTime;
        }
        Errors.Add(name, $"{name} is a date (yyyy-mm-dd) or a date-time (ISO 8601) between the years 1900 and 9998.");
        return null;
    }

    /// <summary>`me`, `none` (unassigned) or a user id.</summary>
    public (long? Id, bool Unassigned) Assignee(string name, long me)
    {
        var value = Text(name);
        if (value is null or "")
        {
            return (null, false);
        }
        if (value == "me")
        {
            return (me, false);
        }
        if (value == "none")
        {
            return (null, true);
        }
        return (Long(name), false);
    }

    /// <summary>
    /// The `field.<key>=value` filters as one JSON object for `fields @> @filter`: each key must be an active field of the
    /// entity and each value of its type (several values of a multi-list must all be chosen).
    /// </summary>
    public string? Fields(IReadOnlyList<CustomField> definitions)
    {
        var filter = new JsonObject();
        foreach (var (name, values) in query.Where(q => q.Key.StartsWith("field.", StringComparison.Ordinal)))
        {
            var key = name[6..];
            var definition = definitions.FirstOrDefault(d => d.Key == key);
            if (definition is null)
            {
                Errors.Add(name, $"There is no custom field '{key}'.");
                continue;
            }
            var type = FieldType.All[definition.Type];
            foreach (var value in values)
            {
                var check = type.Filter(value ?? "", definition.Options);
                if (check.Error is not null)
                {
                    Errors.Add(name, $"'{definition.Label}' {check.Error}");
                }
                else if (check.Value is JsonArray more && filter[key] is JsonArray chosen)
                {
                    chosen.Add(more[0]!.DeepClone());
                }
                else if (filter.ContainsKey(key))
                {
                    Errors.Add(name, $"'{definition.Label}' takes one value.");
                }
                else
                {
                    filter[key] = check.Value;
                }
            }
        }
        return filter.Count == 0 ? null : filter.ToJsonString();
    }

    /// <summary>CSV when asked with `format=csv` or an Accept header naming text/csv.</summary>
    public static bool WantsCsv(HttpRequest request) =>
        request.Query["format"] == "csv" || request.Headers.Accept.Any(a => a is not null && a.Contains("text/csv", StringComparison.OrdinalIgnoreCase));
}
