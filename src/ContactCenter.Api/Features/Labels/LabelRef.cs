using System.Collections;
using System.Text.Json;

namespace ContactCenter.Api.Features.Labels;

/// <summary>A label as summaries, cards and the label list show it.</summary>
public sealed record LabelRef(long Id, string Name, string Color);

/// <summary>
/// The labels of a conversation or contact, in name order. A list with value equality, so that two summaries with the
/// same labels are equal records (InboxNotifier sends one copy to every user who sees the same summary).
/// </summary>
public sealed class LabelList(IReadOnlyList<LabelRef> items) : IReadOnlyList<LabelRef>, IEquatable<LabelList>
{
    private readonly IReadOnlyList<LabelRef> items = items;

    public static readonly LabelList Empty = new([]);

    /// <summary>The column fragment that reads the labels of `{owner}` as JSON text: `{table}` joined on `{column} = {owner}`.</summary>
    public static string Column(string table, string column, string owner) => $"""
        coalesce((select json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) order by lower(l.name), l.id)::text
                  from {table} xl join labels l on l.id = xl.label_id where xl.{column} = {owner}), '[]')
        """;

    /// <summary>The labels of the contact aliased `ct`, as JSON text (a constant, for queries kept as constants).</summary>
    public const string OfContact = """
        coalesce((select json_agg(json_build_object('id', l.id, 'name', l.name, 'color', l.color) order by lower(l.name), l.id)::text
                  from contact_labels xl join labels l on l.id = xl.label_id where xl.contact_id = ct.id), '[]')
        """;

    public static LabelList Parse(string? json) => string.IsNullOrEmpty(json) || json == "[]"
        ? Empty
        : new(JsonSerializer.Deserialize<List<LabelRef>>(json, JsonOptions) ?? []);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public LabelRef this[int index] => items[index];

    public int Count => items.Count;

    public IEnumerator<LabelRef> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(LabelList? other) => other is not null && items.SequenceEqual(other.items);

    public override bool Equals(object? obj) => Equals(obj as LabelList);

    public override int GetHashCode() => items.Count == 0 ? 0 : HashCode.Combine(items.Count, items[0]);
}
