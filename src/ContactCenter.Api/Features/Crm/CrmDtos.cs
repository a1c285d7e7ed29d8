using System.Text.Json;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Fields;

namespace ContactCenter.Api.Features.Crm;

public sealed record StageDto(long Id, string Name, int Order, string Semantic);

public sealed record PipelineDto(long Id, string Name, bool IsDefault, int Sort, IReadOnlyList<StageDto> Stages);

public sealed record ActivityRef(long Id, string Type, string Title, DateTimeOffset DueAt);

public sealed record ContactInfo(long Id, string Name, string? Email, string? Phone)
{
    public Labels.LabelList Labels { get; init; } = Features.Labels.LabelList.Empty;
}

/// <summary>A deal as the kanban shows it.</summary>
public sealed record DealCard(
    long Id, string Title, decimal Amount, string Currency, long PipelineId, long StageId, ContactRef? Contact, UserRef? Assignee,
    string? Outcome, ActivityRef? NextActivity, DateTimeOffset StageEnteredAt, DateTimeOffset CreatedAt)
{
    /// <summary>Custom field values by key (issue #17); the rest is what the list view shows beside the board's card.</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields { get; init; } = FieldValues.Empty;

    public string? Source { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}

/// <param name="NameRu">Its Russian name, when it has one (the seeded reasons do).</param>
public sealed record LossReasonDto(long Id, string Name, string? NameRu = null);

public sealed partial record DealDto(
    long Id, string Title, decimal Amount, string Currency, long PipelineId, StageDto Stage, ContactInfo? Contact, UserRef? Assignee,
    string? Source, long? LeadId, long? ParentDealId, string? Outcome, LossReasonDto? LossReason, DateTimeOffset? ClosedAt,
    ActivityRef? NextActivity, DateTimeOffset StageEnteredAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The company the deal is with (issue #17); null when none.</summary>
    public long? CompanyId { get; init; }

    /// <summary>That company's name (whoever sees the deal sees its company: <c>CompanyRef.Visible</c>); null when none.</summary>
    public string? CompanyName { get; init; }

    /// <summary>Custom field values by key (issue #17).</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields { get; init; } = FieldValues.Empty;
}

public sealed partial record LeadDto(
    long Id, string Title, string Status, string? Source, ContactInfo Contact, UserRef? Assignee, string? JunkReason, long? DealId,
    ActivityRef? NextActivity, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>Custom field values by key (issue #17).</summary>
    public IReadOnlyDictionary<string, JsonElement> Fields { get; init; } = FieldValues.Empty;
}

public sealed record ActorDto(string Type, long? Id, string? Name);

public sealed record TimelineEntryDto(long Id, string Type, DateTimeOffset At, ActorDto Actor, JsonElement Data);

public sealed record SubjectDto(string Type, long Id, string? Title);

/// <param name="CompletedById">Who completed it (null while open): completing a completed activity changes nothing and answers
/// it as it is, so a screen can tell its own completion from a colleague's a moment earlier.</param>
public sealed record ActivityDto(
    long Id, SubjectDto Subject, string Type, string Title, string? Description, DateTimeOffset DueAt, UserRef? Assignee,
    string State, DateTimeOffset? CompletedAt, string? Result, DateTimeOffset CreatedAt, long? CompletedById);

/// <summary>Pushed by the `notify` automation action.</summary>
