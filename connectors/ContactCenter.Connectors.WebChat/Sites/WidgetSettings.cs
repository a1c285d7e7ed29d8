using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactCenter.Connectors.WebChat.Sites;

/// <summary>
/// The widget's per-channel settings beyond look (webchat kind): `language` (`en|ru|auto`), `strings` (per-language
/// overrides of the widget's texts), `preChat` and `offlineMessage`. Validated on save; read defensively.
/// </summary>
public static partial class WidgetSettings
{
    public static readonly IReadOnlySet<string> Languages = new HashSet<string>(StringComparer.Ordinal) { "en", "ru", "auto" };
    private static readonly string[] FieldNames = ["name", "email", "phone"];
    private static readonly string[] FieldModes = ["required", "optional", "off"];

    [GeneratedRegex("^[a-z]{2,3}$")]
    private static partial Regex LanguageCode();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,39}$")]
    private static partial Regex StringKey();

    public static string Language(JsonObject settings) =>
        settings["language"] is JsonValue v && v.TryGetValue<string>(out var s) && Languages.Contains(s) ? s : "auto";

    public static PreChatForm PreChat(JsonObject settings)
    {
        if (settings["preChat"] is not JsonObject pre || pre["enabled"] is not JsonValue on || !on.TryGetValue<bool>(out var enabled))
        {
            return PreChatForm.Off;
        }
        var fields = pre["fields"] as JsonObject;
        string Mode(string name) => fields?[name] is JsonValue v && v.TryGetValue<string>(out var m) && FieldModes.Contains(m) ? m : "off";
        return new PreChatForm(enabled, Mode("name"), Mode("email"), Mode("phone"));
    }

    public static void Validate(JsonObject settings, IDictionary<string, string[]> errors)
    {
        if (settings["language"] is { } language && (language.GetValueKind() != JsonValueKind.String || !Languages.Contains(language.GetValue<string>())))
        {
            errors["settings.language"] = ["language is en, ru or auto (the visitor's browser language)."];
        }
        WebchatChannelKind.CheckText(settings, "offlineMessage", 500, errors);
        ValidateStrings(settings["strings"], errors);
        ValidatePreChat(settings["preChat"], errors);
    }

    private static void ValidateStrings(JsonNode? strings, IDictionary<string, string[]> errors)
    {
        if (strings is null)
        {
            return;
        }
        const string shape = "strings is {\"<language code>\": {\"<text key>\": \"text of at most 500 characters\"}}, at most 10 languages of 60 texts.";
        if (strings is not JsonObject languages || languages.Count > 10)
        {
            errors["settings.strings"] = [shape];
            return;
        }
        foreach (var (code, texts) in languages)
        {
            if (!LanguageCode().IsMatch(code) || texts is not JsonObject map || map.Count > 60
                || map.Any(t => !StringKey().IsMatch(t.Key) || t.Value is not JsonValue value || value.GetValueKind() != JsonValueKind.String || value.GetValue<string>().Length > 500))
            {
                errors[$"settings.strings.{code}"] = [shape];
            }
        }
    }

    private static void ValidatePreChat(JsonNode? node, IDictionary<string, string[]> errors)
    {
        if (node is null)
        {
            return;
        }
        if (node is not JsonObject pre || pre["enabled"] is not JsonValue on || on.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors["settings.preChat"] = ["preChat is {enabled: true|false, fields: {name|email|phone: required|optional|off}}."];
            return;
        }
        if (pre.Any(p => p.Key is not ("enabled" or "fields")))
        {
            errors["settings.preChat"] = ["preChat has only enabled and fields."];
        }
        if (pre["fields"] is null)
        {
            if (on.GetValue<bool>())
            {
                errors["settings.preChat.fields"] = ["An enabled pre-chat form asks at least one of name, email, phone."];
            }
            return;
        }
        if (pre["fields"] is not JsonObject fields)
        {
            errors["settings.preChat.fields"] = ["fields is {name|email|phone: required|optional|off}."];
            return;
        }
        foreach (var (name, mode) in fields)
        {
            if (!FieldNames.Contains(name))
            {
                errors[$"settings.preChat.fields.{name}"] = ["Pre-chat fields are name, email and phone."];
            }
            else if (mode is not JsonValue v || v.GetValueKind() != JsonValueKind.String || !FieldModes.Contains(v.GetValue<string>()))
            {
                errors[$"settings.preChat.fields.{name}"] = [$"{name} is required, optional or off."];
            }
        }
        if (on.GetValue<bool>() && !fields.Any(f => f.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() != "off"))
        {
            errors["settings.preChat.fields"] = ["An enabled pre-chat form asks at least one of name, email, phone."];
        }
    }
}
