using ContactCenter.Api.Features.Conversations;

namespace ContactCenter.UnitTests;

/// <summary>A conversation's status changes and snooze times, allowed and refused, as <see cref="ConversationLifecycle"/> decides them.</summary>
public sealed class ConversationLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("open")]
    [InlineData("pending")]
    [InlineData("resolved")]
    public void A_person_sets_open_pending_or_resolved(string status) => Assert.Null(ConversationLifecycle.CheckStatusRequest(status));

    [Theory]
    [InlineData(null)]
    [InlineData("snoozed")]
    [InlineData("closed")]
    [InlineData("Open")]
    public void Snoozed_is_not_set_by_hand_and_unknown_statuses_are_refused(string? status) =>
        Assert.Equal("Status must be open, pending or resolved.", ConversationLifecycle.CheckStatusRequest(status));

    [Theory]
    [InlineData("open", "resolved", true)]
    [InlineData("pending", "resolved", true)]
    [InlineData("snoozed", "resolved", true)]
    [InlineData("resolved", "resolved", false)]
    [InlineData("open", "pending", false)]
    [InlineData("resolved", "open", false)]
    public void A_resolution_counts_once_when_it_comes_from_another_status(string from, string to, bool resolves) =>
        Assert.Equal(resolves, new ConversationLifecycle(from).Resolves(to));

    [Theory]
    [InlineData("snoozed", true)]
    [InlineData("open", false)]
    [InlineData("pending", false)]
    [InlineData("resolved", false)]
    public void Setting_a_status_by_hand_ends_a_snooze(string from, bool ends) => Assert.Equal(ends, new ConversationLifecycle(from).EndsSnooze);

    [Fact]
    public void A_snooze_runs_to_a_time_in_the_future_at_most_a_year_ahead()
    {
        Assert.Null(ConversationLifecycle.CheckSnoozeUntil(Now.AddTicks(10), Now));
        Assert.Null(ConversationLifecycle.CheckSnoozeUntil(Now.AddYears(1), Now));
    }

    [Fact]
    public void A_snooze_to_now_to_the_past_or_beyond_a_year_is_refused()
    {
        Assert.NotNull(ConversationLifecycle.CheckSnoozeUntil(Now, Now));
        Assert.NotNull(ConversationLifecycle.CheckSnoozeUntil(Now.AddMinutes(-1), Now));
        Assert.NotNull(ConversationLifecycle.CheckSnoozeUntil(Now.AddYears(1).AddTicks(1), Now));
    }
}
