using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ContactCenter.Api.Inbound;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Caps every string of every REST request body in one place, while it is read: a JSON modifier gives each string
/// property of the API's request records (types named ...Request or ...Input) a converter that refuses a longer value.
/// The refusal is a 400 naming the field and its limit (see <see cref="ErrorHandling"/>). The numbers are
/// <see cref="InboundLimits"/>' — a name typed in the app is capped like a name that came from a channel.
/// A NUL character (which PostgreSQL text cannot hold) is refused the same way in every string property of the API's
/// body records (<see cref="NulRule"/> where no cap applies; `Optional` members in their converter), before it can
/// reach the database (a converter per property, not one for all strings: that one made every string of the OpenAPI
/// document a schema of unknown type): a parameter PostgreSQL
/// refuses while binding an auto-prepared statement left Npgsql's connection out of step, and the next command on it
/// failed with "unexpected backend message" (session 23's outside review: a 500 after a NUL, its write stored). What
/// customers type (the connectors' request records: the web chat widget, CSAT) keeps its rule: NULs are dropped
/// (from text; a member named ...Id refuses one).
/// </summary>
public static class BodyTextLimits
{
    /// <summary>Limits by "Type.Property" first, then by property name; any other string of a request: <see cref="Default"/>.</summary>
    private static readonly Dictionary<string, int> Limits = new(StringComparer.Ordinal)
    {
        ["CommentRequest.Text"] = InboundLimits.Comment,
        ["Text"] = InboundLimits.Text,
        ["Name"] = InboundLimits.Name,
        ["Title"] = InboundLimits.Subject,
        ["Email"] = 254,
        ["Password"] = 1_000,
        ["Description"] = InboundLimits.Comment,
        ["Result"] = InboundLimits.Comment,
        ["Reason"] = 2_000,
        ["Source"] = InboundLimits.Name,
    };

    public const int Default = 1_000;

    public static void Modify(JsonTypeInfo type)
    {
        if (type.Kind == JsonTypeInfoKind.Object && (type.Type.Namespace?.StartsWith("ContactCenter.Connectors", StringComparison.Ordinal) == true
            || type.Type.IsDefined(typeof(CustomerTextAttribute), inherit: false)))
        {
            foreach (var property in type.Properties.Where(p => p.PropertyType == typeof(string)))
            {
                // An id is compared, not read: "c1\u0000" with its NUL dropped would be "c1", another message's id (the
                // widget answered a new message with the visitor's earlier one as a repeat). Ids refuse a NUL instead.
                property.CustomConverter = property.Name.EndsWith("Id", StringComparison.Ordinal) ? NulRule.Refusing : NulRule.Dropping;
            }
            return;
        }
        if (type.Kind != JsonTypeInfoKind.Object || type.Type.Namespace?.StartsWith("ContactCenter.Api", StringComparison.Ordinal) != true)
        {
            return;
        }
        if (!(type.Type.Name.EndsWith("Request", StringComparison.Ordinal) || type.Type.Name.EndsWith("Input", StringComparison.Ordinal)))
        {
            foreach (var property in type.Properties.Where(p => p.PropertyType == typeof(string)))
            {
                property.CustomConverter = NulRule.Refusing;
            }
            return;
        }
        foreach (var property in type.Properties)
        {
            if (property.PropertyType == typeof(string) && property.AttributeProvider is System.Reflection.MemberInfo member)
            {
                var max = Limits.GetValueOrDefault($"{type.Type.Name}.{member.Name}", Limits.GetValueOrDefault(member.Name, Default));
                property.CustomConverter = new Capped(property.Name, max);
            }
        }
    }

    private sealed class Capped(string field, int max) : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException($"{field} must be a string.");
            }
            var value = reader.GetString();
            return value is { Length: var length } && length > max ? throw new InputTooLongException(field, max)
                : value is not null && value.Contains('\0') ? throw new NulCharacterException(field) : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>
    /// A string property of a body record outside the caps: a manager's NUL is refused (<see cref="Refusing"/>), a
    /// customer's dropped as the inbound pipeline drops it (<see cref="Dropping"/>).
    /// </summary>
    private sealed class NulRule(bool drop) : JsonConverter<string>
    {
        public static readonly NulRule Refusing = new(drop: false);
        public static readonly NulRule Dropping = new(drop: true);

        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("The value is not a string.");
            }
            var value = reader.GetString();
            return drop ? StorableText.Clean(value) : value is not null && value.Contains('\0') ? throw new NulCharacterException(null) : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}

/// <summary>A request body a customer writes (not a manager): its strings lose their NULs instead of being refused.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CustomerTextAttribute : Attribute;

/// <summary>A request string with a NUL character: the client's input, answered 400 naming the field.</summary>
public sealed class NulCharacterException(string? name) : JsonException("The value contains a NUL character, which cannot be stored.")
{
    /// <summary>The field as a validation problem names it: its path in the body, else its name (null: none known).</summary>
    public string? Field => Path is ['$', '.', .. var rest] && rest.Length > 0 ? System.Text.RegularExpressions.Regex.Replace(rest, @"\[\d+\]", "") : name;
}

/// <summary>A request string above its limit: the client's mistake, answered 400 with the field and the limit.</summary>
public sealed class InputTooLongException(string name, int max) : JsonException($"{name} is at most {max} characters.")
{
    /// <summary>The field as a validation problem names it: its path in the body (`contact.email`), else its name.</summary>
    public string Field => Path is ['$', '.', .. var rest] && rest.Length > 0 ? rest : name;
}
