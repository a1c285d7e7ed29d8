namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// What <see cref="ConversationQueries.SummariesCheckedAsync"/> read in one round trip: the summaries of the users asked
/// for, the conversation's audience key now (null: the conversation is gone) and the audience directory's version now.
/// </summary>
public sealed record AudienceSummaries(
    IReadOnlyList<(long UserId, ConversationSummary Summary)> Summaries, ConversationAudienceKey? Key, long DirectoryVersion);
