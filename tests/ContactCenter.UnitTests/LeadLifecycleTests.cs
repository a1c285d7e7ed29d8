using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Shared;

namespace ContactCenter.UnitTests;

/// <summary>A lead's edits, status changes, conversion and junking, allowed and refused, as <see cref="LeadLifecycle"/> decides them.</summary>
public sealed class LeadLifecycleTests
{
    [Theory]
    [InlineData("new", true)]
    [InlineData("in_work", true)]
    [InlineData("converted", false)]
    [InlineData("junk", false)]
    public void Only_a_new_or_in_work_lead_is_active(string status, bool active) => Assert.Equal(active, new LeadLifecycle(status).IsActive);

    [Theory]
    [InlineData("new")]
    [InlineData("in_work")]
    public void An_active_lead_is_edited_converted_and_junked(string status)
    {
        Assert.Null(new LeadLifecycle(status).CheckEdit());
        Assert.Null(new LeadLifecycle(status).CheckEnd());
    }

    [Theory]
    [InlineData("converted")]
    [InlineData("junk")]
    public void An_ended_lead_is_neither_edited_nor_ended_again(string status)
    {
        var edit = new LeadLifecycle(status).CheckEdit();
        var end = new LeadLifecycle(status).CheckEnd();

        Assert.Equal(CrmStatus.Conflict, edit?.Status);
        Assert.Equal($"The lead is {status}.", edit!.Detail);
        Assert.Equal(CrmStatus.Conflict, end?.Status);
        Assert.Equal($"The lead is already {status}.", end!.Detail);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("new")]
    [InlineData("in_work")]
    public void A_patch_sets_new_or_in_work_or_leaves_the_status(string? status) => Assert.Null(LeadLifecycle.CheckStatusRequest(status));

    [Theory]
    [InlineData("converted")]
    [InlineData("junk")]
    [InlineData("")]
    [InlineData("NEW")]
    public void A_patch_does_not_end_a_lead_or_set_an_unknown_status(string status)
    {
        var refused = LeadLifecycle.CheckStatusRequest(status);

        Assert.Equal(CrmStatus.Invalid, refused?.Status);
        Assert.Equal("status", refused!.Field);
    }

    [Theory]
    [InlineData("new", null, true, 7L, "in_work")]
    [InlineData("new", null, true, null, "new")]
    [InlineData("new", null, false, null, "new")]
    [InlineData("in_work", null, true, 7L, "in_work")]
    [InlineData("in_work", null, true, null, "in_work")]
    [InlineData("new", "new", true, 7L, "new")]
    [InlineData("in_work", "new", false, null, "new")]
    [InlineData("new", "in_work", false, null, "in_work")]
    public void Assigning_a_new_lead_puts_it_in_work_unless_a_status_is_asked_for(string from, string? requested, bool assigneeSent, long? assignee, string after) =>
        Assert.Equal(after, new LeadLifecycle(from).StatusAfterEdit(requested, assigneeSent, assignee));

    [Theory]
    [InlineData(3L, null)]
    [InlineData(null, "Spam")]
    [InlineData(3L, "Spam")]
    public void A_junk_has_a_reason_id_or_a_reason_text(long? reasonId, string? reason) => Assert.Null(LeadLifecycle.CheckJunkRequest(reasonId, reason));

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "  ")]
    [InlineData(3L, "x", 1001)]
    [InlineData(null, "x", 1001)]
    public void A_junk_without_a_reason_or_with_an_overlong_text_is_refused(long? reasonId, string? reason, int repeat = 1)
    {
        var refused = LeadLifecycle.CheckJunkRequest(reasonId, reason is null ? null : string.Concat(Enumerable.Repeat(reason, repeat)));

        Assert.Equal(CrmStatus.Invalid, refused?.Status);
        Assert.Equal("junkReasonId", refused!.Field);
    }

    [Fact]
    public void A_reason_text_of_exactly_1000_characters_is_taken() => Assert.Null(LeadLifecycle.CheckJunkRequest(null, new string('x', 1000)));
}
