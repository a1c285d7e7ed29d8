using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Fields.Types;

/// <summary>Some of the field's options (an array, kept in the options' order without repeats).</summary>
public sealed class MultiListField : FieldType
{
    public override string Name => "multi-list";

    public override bool HasOptions => true;

    public override FieldCheck Check(JsonNode value, IReadOnlyList<string> options)
    {
        if (value is not JsonArray array)
        {
            return FieldCheck.Fail($"is an array of options ({string.Join(", ", options)}).");
        }
        var chosen = new HashSet<string>();
        foreach (var item in array)
        {
            if (item is null || Text(item) is not { } text || !options.Contains(text))
            {
                return FieldCheck.Fail($"is an array of options ({string.Join(", ", options)}).");
            }
            chosen.Add(text);
        }
        return FieldCheck.Ok(new JsonArray(options.Where(chosen.Contains).Select(o => (JsonNode)JsonValue.Create(o)).ToArray()));
    }

    /// <summary>`field.key=a` matches rows whose choice includes a (an option since removed too, as <see cref="ListField"/>).</summary>
    public override FieldCheck Filter(string text, IReadOnlyList<string> options) =>
        text.Length is > 0 and <= 200 ? FieldCheck.Ok(new JsonArray(JsonValue.Create(text))) : Check(new JsonArray(JsonValue.Create(text)), options);
}
