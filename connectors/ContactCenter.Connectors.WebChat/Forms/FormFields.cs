using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactCenter.Connectors.WebChat.Forms;

/// <summary>
/// A form channel's `fields` setting: a list of names (`["name", "email", "message"]`, types guessed from the
/// names) or objects `{name, type?, required?, label?}`. Without it: name, email (required), phone, message.
/// </summary>
public static partial class FormFields
{
    public const string Setting = "fields";

    public static readonly string[] Types = ["text", "textarea", "email", "phone"];

    /// <summary>Posted names that are not fields: where to go after a plain post, tracking, the honeypot.</summary>
    public static readonly string[] Reserved =
        ["redirect", "referrer", "submissionId", FormSubmission.Honeypot, "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"];

    public static readonly IReadOnlyList<FormField> Default =
    [
        new("name", "text", false, "Name"),
        new("email", "email", true, "Email"),
        new("phone", "phone", false, "Phone"),
        new("message", "textarea", false, "Message"),
    ];

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,49}$")]
    private static partial Regex NamePattern();

    public static IReadOnlyList<FormField> Of(JsonObject settings) =>
        settings[Setting] is JsonArray list && Parse(list, out var fields) is null ? fields : Default;

    /// <summary>Checks the `fields` setting in place; adds errors under `settings.fields`.</summary>
    public static void Validate(JsonObject settings, IDictionary<string, string[]> errors)
    {
        if (settings[Setting] is null)
        {
            return;
        }
        var error = settings[Setting] is JsonArray list ? Parse(list, out _) : "fields must be a list.";
        if (error is not null)
        {
            errors["settings.fields"] = [error];
        }
    }

    private static string? Parse(JsonArray list, out List<FormField> fields)
    {
        fields = [];
        foreach (var item in list)
        {
            FormField? field = item?.GetValueKind() switch
            {
                JsonValueKind.String => Guess(item.GetValue<string>()),
                JsonValueKind.Object => FromObject(item.AsObject()),
                _ => null,
            };
            if (field is null || !NamePattern().IsMatch(field.Name) || !Types.Contains(field.Type) || field.Label.Length > 200)
            {
                return "Each field is a name (letters, digits, _) or {name, type: text|textarea|email|phone, required?, label?}.";
            }
            if (Reserved.Contains(field.Name, StringComparer.OrdinalIgnoreCase))
            {
                return $"'{field.Name}' is reserved and cannot be a field name.";
            }
            if (fields.Any(f => string.Equals(f.Name, field.Name, StringComparison.OrdinalIgnoreCase)))
            {
                return $"The field '{field.Name}' is listed twice.";
            }
            fields.Add(field);
        }
        return fields.Count is 0 or > 30 ? "A form has 1 to 30 fields." : null;
    }

    private static FormField Guess(string name) => new(name, name.ToLowerInvariant() switch
    {
        "email" or "e_mail" => "email",
        "phone" or "tel" or "telephone" or "mobile" => "phone",
        "message" or "comment" or "comments" or "question" => "textarea",
        _ => "text",
    }, false, Labelize(name));

    private static FormField? FromObject(JsonObject o)
    {
        if (o["name"]?.GetValueKind() != JsonValueKind.String)
        {
            return null;
        }
        var guessed = Guess(o["name"]!.GetValue<string>());
        var type = o["type"] is { } t ? (t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : "") : guessed.Type;
        var required = o["required"]?.GetValueKind() == JsonValueKind.True;
        var label = o["label"] is { } l ? (l.GetValueKind() == JsonValueKind.String ? l.GetValue<string>() : new string('x', 201)) : guessed.Label;
        return new FormField(guessed.Name, type, required, label);
    }

    private static string Labelize(string name)
    {
        var words = name.Replace('_', ' ').Trim();
        return words.Length == 0 ? name : char.ToUpperInvariant(words[0]) + words[1..];
    }
}
