using ContactCenter.Api.Features.Conversations;

namespace ContactCenter.UnitTests;

/// <summary>
/// The in-memory audience rule (issue #19) against hand-written expectations: users 1 (admin) and 2 (supervisor) are
/// staff, 3-6 are managers, 7 is a deactivated manager; channel 10 has members 3, 4 and 7, channel 20 has member 5.
/// </summary>
public sealed class AudienceSnapshotTests
{
    private static readonly AudienceSnapshot Directory = new(
        42, [1, 2], new HashSet<long> { 1, 2, 3, 4, 5, 6 },
        new Dictionary<long, long[]> { [10] = [3, 4], [20] = [5] });

    [Fact]
    public void An_unassigned_conversation_goes_to_staff_and_the_channels_members()
    {
        Assert.Equal([1, 2, 3, 4], Directory.AudienceOf(new ConversationAudienceKey(10, null, [])));
        Assert.Equal([1, 2, 5], Directory.AudienceOf(new ConversationAudienceKey(20, null, [])));
    }

    [Fact]
    public void An_assigned_conversation_goes_to_staff_and_the_assignee_only()
    {
        Assert.Equal([1, 2, 6], Directory.AudienceOf(new ConversationAudienceKey(10, 6, [])));
        Assert.Equal([1, 2, 3], Directory.AudienceOf(new ConversationAudienceKey(10, 3, [])));
    }

    [Fact]
    public void Participants_are_added_and_a_staff_assignee_or_participant_is_listed_once()
    {
        Assert.Equal([1, 2, 4, 6], Directory.AudienceOf(new ConversationAudienceKey(20, 4, [2, 6])));
        Assert.Equal([1, 2, 5], Directory.AudienceOf(new ConversationAudienceKey(20, 1, [5])));
    }

    [Fact]
    public void A_deactivated_assignee_or_participant_gets_nothing()
    {
        Assert.Equal([1, 2], Directory.AudienceOf(new ConversationAudienceKey(10, 7, [7])));
    }

    [Fact]
    public void A_channel_without_members_or_an_unknown_one_goes_to_staff_only()
    {
        Assert.Equal([1, 2], Directory.AudienceOf(new ConversationAudienceKey(30, null, [])));
    }

    [Fact]
    public void Keys_compare_by_their_participants_values()
    {
        Assert.Equal(new ConversationAudienceKey(10, 3, [4, 5]), new ConversationAudienceKey(10, 3, [4, 5]));
        Assert.NotEqual(new ConversationAudienceKey(10, 3, [4, 5]), new ConversationAudienceKey(10, 3, [4]));
        Assert.NotEqual(new ConversationAudienceKey(10, 3, []), new ConversationAudienceKey(10, null, []));
        Assert.NotEqual(new ConversationAudienceKey(10, null, []), new ConversationAudienceKey(20, null, []));
    }

    [Fact]
    public void The_unread_directory_has_a_version_no_database_gives()
    {
        Assert.Equal(-1, AudienceSnapshot.Unread.Version);
        Assert.Empty(AudienceSnapshot.Unread.AudienceOf(new ConversationAudienceKey(10, null, [])));
    }
}
