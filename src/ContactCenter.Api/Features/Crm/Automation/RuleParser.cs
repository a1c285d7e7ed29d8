using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm.Automation;

public sealed record ParsedRule(string Name, bool Enabled, JsonObject Trigger, string? Delay, JsonArray Conditions, JsonArray Actions);

public sealed record RuleError(string Field, string Detail);

/// <summary>Checks a rule body field by field and returns it normalised (only known keys, ids as numbers).</summary>
public static class RuleParser
{
    private static readonly string[] ConditionFields = ["amount", "pipelineId", "stageId", "channelKind", "source"];
    private static readonly string[] ConditionOps = ["eq", "ne", "gt", "gte", "lt", "lte", "contains"];
    private static readonly HashSet<string> ReadOnlyMembers = new(["id", "createdAt", "updatedAt"], StringComparer.OrdinalIgnoreCase);

    private sealed class Invalid(string field, string detail) : Exception(detail)
    {
        public RuleError Error { get; } = new(field, detail);
    }

    public static (ParsedRule? Rule, RuleError? Error) Parse(AutomationRuleInput body, RuleRefs refs)
    {
        try
        {
            // A rule as GET answers it may be sent back whole: its read-only members are ignored, anything else is refused.
            if (body.Unknown?.Keys.FirstOrDefault(k => !ReadOnlyMembers.Contains(k)) is { } key)
            {
                throw new Invalid(key, $"Unknown field {key}: a rule is name, enabled, trigger, delay, conditions and actions.");
            }
            var name = Text(body.Name, "name", required: true, max: 200)!;
            var enabled = body.Enabled.IsMalformed ? throw new Invalid("enabled", "enabled is true or false.") : body.Enabled.Value ?? true;
            var trigger = ParseTrigger(body.Trigger.Value as JsonObject ?? throw new Invalid("trigger", "trigger is an object {type, ...}."), refs);
            var delay = Text(body.Delay, "delay", required: false, max: 40);
            if (delay is not null && !IsoDuration.IsValid(delay))
            {
                throw new Invalid("delay", "delay is an ISO-8601 duration such as PT10M, P1D or P3M.");
            }
            var conditions = new JsonArray();
            if (body.Conditions.IsMalformed || body.Conditions.Value is { } c)
            {
                var array = body.Conditions.Value as JsonArray ?? throw new Invalid("conditions", "conditions is an array.");
                for (var i = 0; i < array.Count; i++)
                {
                    conditions.Add(ParseCondition(array[i] as JsonObject ?? throw new Invalid($"conditions[{i}]", "A condition is an object {field, op, value}."), i, refs));
                }
            }
            var actionsNode = body.Actions.Value as JsonArray ?? throw new Invalid("actions", "actions is a non-empty array.");
            if (actionsNode.Count is 0 or > 20)
            {
                throw new Invalid("actions", "A rule has between 1 and 20 actions.");
            }
            var actions = new JsonArray();
            for (var i = 0; i < actionsNode.Count; i++)
            {
                actions.Add(ParseAction(actionsNode[i] as JsonObject ?? throw new Invalid($"actions[{i}]", "An action is an object {type, ...}."), i, refs));
            }
            return (new ParsedRule(name, enabled, trigger, delay, conditions, actions), null);
        }
        catch (Invalid ex)
        {
            return (null, ex.Error);
        }
    }

    private static JsonObject ParseTrigger(JsonObject t, RuleRefs refs)
    {
        var type = Text(t, "type", "trigger.type", required: true, max: 50)!;
        var result = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "leadCreated":
                Only(t, "trigger");
                break;
            case "dealCreated" or "dealWon" or "dealLost":
                Only(t, "trigger", "pipelineId");
                if (Id(t, "pipelineId", "trigger.pipelineId", required: false) is { } p)
                {
                    result["pipelineId"] = refs.Pipelines.Contains(p) ? p : throw new Invalid("trigger.pipelineId", $"There is no pipeline {p}.");
                }
                break;
            case "stageEntered":
                Only(t, "trigger", "stageId");
                var s = Id(t, "stageId", "trigger.stageId", required: true)!.Value;
                result["stageId"] = refs.Stages.ContainsKey(s) ? s : throw new Invalid("trigger.stageId", $"There is no stage {s}.");
                break;
            case "inboundMessage":
                Only(t, "trigger", "channelKind");
                if (Text(t, "channelKind", "trigger.channelKind", required: false, max: 50) is { } kind)
                {
                    result["channelKind"] = kind;
                }
                break;
            case "noReply":
                Only(t, "trigger", "minutes");
                var minutes = t["minutes"] is JsonValue v && v.TryGetValue<int>(out var m) ? m : throw new Invalid("trigger.minutes", "noReply needs minutes (a whole number).");
                result["minutes"] = minutes is >= 1 and <= 525_600 ? minutes : throw new Invalid("trigger.minutes", "minutes is between 1 and 525600 (a year).");
                break;
            default:
                throw new Invalid("trigger.type", $"Unknown trigger '{type}'. Known: {string.Join(", ", CrmEvents.Triggers)}.");
        }
        return result;
    }

    private static bool IsCustomField(string field) =>
        field.StartsWith("field.", StringComparison.Ordinal) && field.Length > 6 && field[6] is >= 'a' and <= 'z'
        && field[6..].All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');

    // A number as text: digits with one decimal point, a leading sign, spaces around. No group separators: "1,5" (a
    // Russian 1.5) read as 15 and "1,000" as 1000 under the invariant culture, and no trailing sign ("5-" was -5).
    private const System.Globalization.NumberStyles NumberText = System.Globalization.NumberStyles.AllowLeadingWhite
        | System.Globalization.NumberStyles.AllowTrailingWhite | System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint;

    private static JsonObject ParseCondition(JsonObject c, int i, RuleRefs refs)
    {
        Only(c, $"conditions[{i}]", "field", "op", "value");
        var field = Text(c, "field", $"conditions[{i}].field", required: true, max: 50)!;
        var op = Text(c, "op", $"conditions[{i}].op", required: true, max: 20)!;
        // field.<key> tests a custom field of the lead or deal (issue #17); a key not defined (yet) simply never matches.
        if (!ConditionFields.Contains(field) && !IsCustomField(field))
        {
            throw new Invalid($"conditions[{i}].field", $"Unknown field '{field}'. Known: {string.Join(", ", ConditionFields)}, field.<custom field key>.");
        }
        if (!ConditionOps.Contains(op))
        {
            throw new Invalid($"conditions[{i}].op", $"Unknown op '{op}'. Known: {string.Join(", ", ConditionOps)}.");
        }
        var value = c["value"] is JsonValue v && v.GetValueKind() is JsonValueKind.String or JsonValueKind.Number
            ? v.DeepClone() : throw new Invalid($"conditions[{i}].value", "value is a string or a number.");
        if (value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Any(char.IsControl))
        {
            throw new Invalid($"conditions[{i}].value", "value contains a control character (such as NUL).");
        }
        // A number field compared with a word would compare as text ("abc" > "1000") and never do what was meant.
        if (field is "amount" or "pipelineId" or "stageId")
        {
            var number = (value.GetValueKind() == JsonValueKind.Number ? value.AsValue().TryGetValue<decimal>(out var n)
                : decimal.TryParse(value.GetValue<string>(), NumberText, System.Globalization.CultureInfo.InvariantCulture, out n))
                    ? n : throw new Invalid($"conditions[{i}].value", $"{field} is compared with a number.");
            if (op == "contains")
            {
                throw new Invalid($"conditions[{i}].op", $"{field} is a number: eq, ne, gt, gte, lt or lte.");
            }
            if (field is not "amount")
            {
                var whole = number == decimal.Truncate(number) && number is >= 1 and <= long.MaxValue;
                if (!whole || !(field == "stageId" ? refs.Stages.ContainsKey((long)number) : refs.Pipelines.Contains((long)number)))
                {
                    throw new Invalid($"conditions[{i}].value", field == "stageId" ? $"There is no stage {value}." : $"There is no pipeline {value}.");
                }
                if (op is not ("eq" or "ne"))
                {
                    throw new Invalid($"conditions[{i}].op", $"{field} is compared with eq or ne.");
                }
            }
            value = JsonValue.Create(number);
        }
        return new JsonObject { ["field"] = field, ["op"] = op, ["value"] = value };
    }

    private static JsonObject ParseAction(JsonObject a, int i, RuleRefs refs)
    {
        var at = $"actions[{i}]";
        var type = Text(a, "type", $"{at}.type", required: true, max: 50)!;
        var result = new JsonObject { ["type"] = type };
        switch (type)
        {
            case "createActivity":
                Only(a, at, "activityType", "title", "dueIn", "assignee");
                var activityType = Text(a, "activityType", $"{at}.activityType", required: true, max: 20)!;
                result["activityType"] = ActivityService.Types.Contains(activityType) ? activityType : throw new Invalid($"{at}.activityType", "activityType is call, meeting, task or email.");
                result["title"] = Text(a, "title", $"{at}.title", required: true, max: 500);
                if (Text(a, "dueIn", $"{at}.dueIn", required: false, max: 40) is { } dueIn)
                {
                    result["dueIn"] = IsoDuration.IsValid(dueIn) ? dueIn : throw new Invalid($"{at}.dueIn", "dueIn is an ISO-8601 duration such as PT2H.");
                }
                if (a["assignee"] is { } assignee)
                {
                    result["assignee"] = Person(assignee, $"{at}.assignee", refs);
                }
                break;
            case "sendMessage":
                Only(a, at, "text");
                result["text"] = Text(a, "text", $"{at}.text", required: true, max: 4000);
                break;
            case "notify":
                Only(a, at, "to", "text");
                result["to"] = Person(a["to"] ?? throw new Invalid($"{at}.to", "to is \"owner\" or a user id."), $"{at}.to", refs);
                result["text"] = Text(a, "text", $"{at}.text", required: true, max: 1000);
                break;
            case "moveStage":
                Only(a, at, "stageId");
                result["stageId"] = OpenStage(a, $"{at}.stageId", refs, pipelineId: null).Id;
                break;
            case "assign":
                Only(a, at, "userId");
                var user = Id(a, "userId", $"{at}.userId", required: true)!.Value;
                result["userId"] = refs.Users.Contains(user) ? user : throw new Invalid($"{at}.userId", $"There is no active user {user}.");
                break;
            case "createDeal":
                Only(a, at, "pipelineId", "stageId", "title");
                var pipeline = Id(a, "pipelineId", $"{at}.pipelineId", required: true)!.Value;
                result["pipelineId"] = refs.Pipelines.Contains(pipeline) ? pipeline : throw new Invalid($"{at}.pipelineId", $"There is no pipeline {pipeline}.");
                result["stageId"] = OpenStage(a, $"{at}.stageId", refs, pipeline).Id;
                if (Text(a, "title", $"{at}.title", required: false, max: 500) is { } title)
                {
                    result["title"] = title;
                }
                break;
            case "addLabel":
                Only(a, at, "labelId", "label");
                result["labelId"] = LabelOf(a, at, refs);
                break;
            default:
                throw new Invalid($"{at}.type", $"Unknown action '{type}'. Known: {string.Join(", ", AutomationRules.Actions)}.");
        }
        return result;
    }

    /// <summary>`{labelId}` or `{label: "name"}` (any case); stored as the id, so renaming the label keeps the rule.</summary>
    private static long LabelOf(JsonObject a, string at, RuleRefs refs)
    {
        if (Id(a, "labelId", $"{at}.labelId", required: false) is { } id)
        {
            return refs.Labels.Values.Contains(id) ? id : throw new Invalid($"{at}.labelId", $"There is no label {id}.");
        }
        var name = Text(a, "label", $"{at}.label", required: false, max: 50)
            ?? throw new Invalid($"{at}.labelId", "addLabel needs labelId or label (a label's name).");
        return refs.Labels.TryGetValue(name.ToLowerInvariant(), out var named) ? named : throw new Invalid($"{at}.label", $"There is no label named '{name}'.");
    }

    private static StageRow OpenStage(JsonObject a, string field, RuleRefs refs, long? pipelineId)
    {
        var id = Id(a, "stageId", field, required: true)!.Value;
        if (!refs.Stages.TryGetValue(id, out var stage) || (pipelineId is not null && stage.PipelineId != pipelineId))
        {
            throw new Invalid(field, pipelineId is null ? $"There is no stage {id}." : $"There is no stage {id} in pipeline {pipelineId}.");
        }
        return stage.Semantic == "open" ? stage : throw new Invalid(field, $"Stage '{stage.Name}' is a {stage.Semantic} stage; automation moves deals to open stages only.");
    }

    private static JsonNode Person(JsonNode node, string field, RuleRefs refs)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "owner")
        {
            return "owner";
        }
        if (node is JsonValue n && n.TryGetValue<long>(out var id))
        {
            return refs.Users.Contains(id) ? id : throw new Invalid(field, $"There is no active user {id}.");
        }
        throw new Invalid(field, $"{field} is \"owner\" or a user id.");
    }

    /// <summary>
    /// A trigger, condition or action takes its `type` and these members only: another (a misspelt `dueln`) is refused by
    /// name, not dropped (the rule would be saved without it and do less than its author wrote).
    /// </summary>
    private static void Only(JsonObject o, string at, params string[] members)
    {
        if (o.Select(p => p.Key).FirstOrDefault(k => k != "type" && !members.Contains(k)) is { } extra)
        {
            throw new Invalid($"{at}.{extra}", $"Unknown field {extra}: {(members.Length == 0 ? "it takes no other member" : "it takes " + string.Join(", ", members))}.");
        }
    }

    private static string? Text(JsonObject o, string key, string field, bool required, int max) => o[key] switch
    {
        null => required ? throw new Invalid(field, $"{field} is required.") : null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Text(Optional<string?>.Of(v.GetValue<string>()), field, required, max),
        _ => Text(Optional<string?>.Malformed, field, required, max),
    };

    private static string? Text(Optional<string?> sent, string field, bool required, int max)
    {
        if (!sent.IsMalformed && sent.Value is null)
        {
            return required ? throw new Invalid(field, $"{field} is required.") : null;
        }
        if (sent.IsMalformed || string.IsNullOrWhiteSpace(sent.Value) || sent.Value.Length > max)
        {
            throw new Invalid(field, $"{field} is a non-empty string of at most {max} characters.");
        }
        // Refused here, before PostgreSQL would refuse a NUL in the stored JSON (line breaks and tabs are text).
        if (sent.Value.Any(ch => char.IsControl(ch) && ch is not ('\n' or '\r' or '\t')))
        {
            throw new Invalid(field, $"{field} contains a control character (such as NUL).");
        }
        return sent.Value.Trim();
    }

    private static long? Id(JsonObject o, string key, string field, bool required)
    {
        var node = o[key];
        if (node is null)
        {
            return required ? throw new Invalid(field, $"{field} is required.") : null;
        }
        return node is JsonValue v && v.TryGetValue<long>(out var id) ? id : throw new Invalid(field, $"{field} is a number (an id).");
    }
}
