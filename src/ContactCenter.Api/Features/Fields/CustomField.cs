namespace ContactCenter.Api.Features.Fields;

/// <summary>An admin-defined field of contacts, companies, leads or deals (its values live in the entity's `fields` JSONB).</summary>
public sealed record CustomField(
    long Id, string Entity, string Key, string Label, string Type, bool Required, IReadOnlyList<string> Options, long? PipelineId, int Sort, bool Archived)
{
    public static readonly string[] Entities = ["contact", "company", "lead", "deal"];

    /// <summary>Whether the field belongs on a row of this pipeline (fields without a pipeline belong everywhere).</summary>
    public bool AppliesTo(long? pipelineId) => PipelineId is null || PipelineId == pipelineId;
}

public sealed record CustomFieldRequest(
    string? Entity, string? Key, string? Label, string? Type, bool? Required, IReadOnlyList<string>? Options, long? PipelineId, int? Sort, bool? Archived);
