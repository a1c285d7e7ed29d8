using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Shared;

namespace ContactCenter.UnitTests;

/// <summary>A deal's moves, closes and reopens, allowed and refused, as <see cref="DealLifecycle"/> decides them (no database).</summary>
public sealed class DealLifecycleTests
{
    private static readonly DealLifecycle Open = new(PipelineId: 1, IsClosed: false, Outcome: null);
    private static readonly DealLifecycle Won = new(1, true, "won");
    private static readonly DealLifecycle Lost = new(1, true, "lost");

    private static StageRow Stage(string semantic, long pipelineId = 1, string name = "Stage") => new(10, pipelineId, name, semantic, 0);

    [Fact]
    public void It_is_read_from_the_locked_row_closed_when_it_has_a_closing_time()
    {
        Assert.Equal(Open, DealLifecycle.Of(new DealState(5, 1, 10, "T", null, null, null, null)));
        Assert.Equal(Won, DealLifecycle.Of(new DealState(5, 1, 10, "T", null, null, DateTimeOffset.UnixEpoch, "won")));
    }

    [Theory]
    [InlineData("won", false, false)]
    [InlineData("lost", true, false)]
    [InlineData("lost", false, true)]
    [InlineData("lost", true, true)]
    public void A_close_request_is_won_or_a_loss_with_a_reason_or_a_stage(string outcome, bool reason, bool stage) =>
        Assert.Null(DealLifecycle.CheckCloseRequest(outcome, reason, stage));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("open")]
    [InlineData("Won")]
    public void A_close_request_without_won_or_lost_is_refused_on_outcome(string? outcome) =>
        AssertInvalid(DealLifecycle.CheckCloseRequest(outcome, true, true), "outcome");

    [Fact]
    public void A_loss_with_neither_reason_nor_stage_is_refused_on_the_loss_reason()
    {
        var refused = DealLifecycle.CheckCloseRequest("lost", false, false);

        AssertInvalid(refused, "lossReasonId");
        Assert.Equal(DealLifecycle.NeedsReason, refused!.Detail);
    }

    [Fact]
    public void Only_an_open_deal_closes()
    {
        Assert.Null(Open.CheckClose());
        AssertConflict(Won.CheckClose(), "The deal is already closed (won); reopen it first.");
        AssertConflict(Lost.CheckClose(), "The deal is already closed (lost); reopen it first.");
    }

    [Theory]
    [InlineData("won", "won")]
    [InlineData("lost", "lost")]
    public void A_close_on_a_named_stage_takes_one_of_the_outcomes_stages_of_its_own_pipeline(string outcome, string semantic) =>
        Assert.Null(Open.CheckCloseStage(outcome, Stage(semantic)));

    [Theory]
    [InlineData("won", "lost")]
    [InlineData("won", "open")]
    [InlineData("lost", "won")]
    [InlineData("lost", "open")]
    public void A_close_on_a_stage_of_another_kind_is_refused(string outcome, string semantic)
    {
        var refused = Open.CheckCloseStage(outcome, Stage(semantic, name: "Talks"));

        AssertInvalid(refused, "stageId");
        Assert.Equal($"'Talks' is not a {outcome} stage.", refused!.Detail);
    }

    [Fact]
    public void A_close_on_a_missing_stage_or_one_of_another_pipeline_is_not_found()
    {
        Assert.Equal(CrmStatus.NotFound, Open.CheckCloseStage("won", null)?.Status);
        Assert.Equal(CrmStatus.NotFound, Open.CheckCloseStage("won", Stage("won", pipelineId: 2))?.Status);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(5, true)]
    public void A_lost_stage_names_the_reason_only_when_the_pipeline_has_several(long lostStages, bool names) =>
        Assert.Equal(names, DealLifecycle.LostStageNamesTheReason(lostStages));

    [Fact]
    public void Only_a_closed_deal_reopens()
    {
        Assert.Null(Won.CheckReopen());
        Assert.Null(Lost.CheckReopen());
        AssertConflict(Open.CheckReopen(), "The deal is open.");
    }

    [Fact]
    public void A_reopen_goes_to_an_open_stage_of_its_own_pipeline()
    {
        Assert.Null(Won.CheckReopenStage(Stage("open")));
        AssertInvalid(Won.CheckReopenStage(Stage("won")), "stageId");
        AssertInvalid(Lost.CheckReopenStage(Stage("lost")), "stageId");
        Assert.Equal(CrmStatus.NotFound, Won.CheckReopenStage(Stage("open", pipelineId: 2))?.Status);
        Assert.Equal(CrmStatus.NotFound, Won.CheckReopenStage(null)?.Status);
    }

    [Theory]
    [InlineData("open", 1)]
    [InlineData("open", 2)]
    [InlineData("won", 1)]
    [InlineData("lost", 1)]
    public void An_open_deal_moves_to_any_open_stage_and_closes_on_its_own_pipelines_closing_stages(string semantic, long pipelineId) =>
        Assert.Null(Open.CheckMove(Stage(semantic, pipelineId)));

    [Theory]
    [InlineData("won")]
    [InlineData("lost")]
    public void An_open_deal_does_not_close_on_another_pipelines_closing_stage(string semantic) =>
        AssertInvalid(Open.CheckMove(Stage(semantic, pipelineId: 2)), "stageId");

    [Fact]
    public void A_closed_deal_does_not_move_before_it_is_reopened()
    {
        AssertConflict(Won.CheckMove(Stage("open")), "The deal is closed (won); reopen it before moving it.");
        AssertConflict(Lost.CheckMove(Stage("won")), "The deal is closed (lost); reopen it before moving it.");
    }

    [Theory]
    [InlineData("open", null)]
    [InlineData("won", "won")]
    [InlineData("lost", "lost")]
    public void A_move_to_a_closing_stage_closes_with_that_outcome(string semantic, string? outcome) =>
        Assert.Equal(outcome, DealLifecycle.MoveOutcome(Stage(semantic)));

    [Theory]
    [InlineData("open", true)]
    [InlineData("won", false)]
    [InlineData("lost", false)]
    public void A_new_deal_starts_only_on_an_open_stage(string semantic, bool allowed) =>
        Assert.Equal(allowed, DealLifecycle.CanStartOn(Stage(semantic)));

    private static void AssertInvalid(CrmResult<object>? refused, string field)
    {
        Assert.Equal(CrmStatus.Invalid, refused?.Status);
        Assert.Equal(field, refused!.Field);
    }

    private static void AssertConflict(CrmResult<object>? refused, string detail)
    {
        Assert.Equal(CrmStatus.Conflict, refused?.Status);
        Assert.Equal(detail, refused!.Detail);
    }
}
