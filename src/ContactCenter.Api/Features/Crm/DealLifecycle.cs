namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The rules of a deal's life, in one place and without SQL or a clock: an open deal moves between open stages and
/// closes won or lost (on its pipeline's won or lost stage; a loss names a reason), a closed deal only reopens (on an
/// open stage). Each check answers null when allowed, else the 400 or 409 to give. The services read the rows, ask here,
/// then write.
/// </summary>
/// <param name="PipelineId">The deal's pipeline (a close happens on its own pipeline's stages).</param>
/// <param name="IsClosed">Closed (won or lost) rather than open.</param>
/// <param name="Outcome">won or lost when closed.</param>
public sealed record DealLifecycle(long PipelineId, bool IsClosed, string? Outcome)
{
    public const string NeedsReason =
        "A lost deal needs a loss reason: lossReasonId (see GET /api/loss-reasons), or the stageId of one of its pipeline's several lost stages.";

    public static DealLifecycle Of(DealState deal) => new(deal.PipelineId, deal.ClosedAt is not null, deal.Outcome);

    /// <summary>A close request read before the deal is: an outcome of won or lost, and a loss says why (a reason or a lost stage).</summary>
    public static CrmResult<object>? CheckCloseRequest(string? outcome, bool hasLossReason, bool hasStage) =>
        outcome is not ("won" or "lost") ? CrmResult<object>.Invalid("outcome", "outcome must be won or lost.")
        : outcome == "lost" && !hasLossReason && !hasStage ? CrmResult<object>.Invalid("lossReasonId", NeedsReason)
        : null;

    /// <summary>Only an open deal closes.</summary>
    public CrmResult<object>? CheckClose() =>
        IsClosed ? CrmResult<object>.Conflict($"The deal is already closed ({Outcome}); reopen it first.") : null;

    /// <summary>A close on a named stage: one of the outcome's stages of the deal's pipeline (a 404 otherwise, as an unknown stage).</summary>
    public CrmResult<object>? CheckCloseStage(string outcome, StageRow? to) =>
        to is null || to.PipelineId != PipelineId ? CrmResult<object>.NotFound("There is no such stage in the deal's pipeline.")
        : to.Semantic != outcome ? CrmResult<object>.Invalid("stageId", $"'{to.Name}' is not a {outcome} stage.")
        : null;

    /// <summary>
    /// A loss without a loss reason is named by its stage only when the pipeline has several lost stages ("Lost: price",
    /// "Lost: competitor"); a single lost stage is no reason.
    /// </summary>
    public static bool LostStageNamesTheReason(long lostStagesInPipeline) => lostStagesInPipeline >= 2;

    /// <summary>Only a closed deal reopens.</summary>
    public CrmResult<object>? CheckReopen() => IsClosed ? null : CrmResult<object>.Conflict("The deal is open.");

    /// <summary>A reopen on a named stage: an open stage of the deal's pipeline.</summary>
    public CrmResult<object>? CheckReopenStage(StageRow? to) =>
        to is null || to.PipelineId != PipelineId ? CrmResult<object>.NotFound("There is no such stage in the deal's pipeline.")
        : to.Semantic != "open" ? CrmResult<object>.Invalid("stageId", "A reopened deal goes to an open stage.")
        : null;

    /// <summary>
    /// A stage change (PATCH stageId, the kanban's drop): an open deal may go to any open stage, or to a won or lost stage of
    /// its own pipeline (that closes it: <see cref="MoveOutcome"/>); a closed deal is reopened first.
    /// </summary>
    public CrmResult<object>? CheckMove(StageRow to) =>
        IsClosed ? CrmResult<object>.Conflict($"The deal is closed ({Outcome}); reopen it before moving it.")
        : to.PipelineId != PipelineId && to.Semantic != "open" ? CrmResult<object>.Invalid("stageId", "A deal closes on a won or lost stage of its own pipeline.")
        : null;

    /// <summary>What an allowed move to this stage does: null for a move, else the outcome it closes the deal with.</summary>
    public static string? MoveOutcome(StageRow to) => to.Semantic is "won" or "lost" ? to.Semantic : null;

    /// <summary>A new deal (created, or converted from a lead) starts on an open stage.</summary>
    public static bool CanStartOn(StageRow stage) => stage.Semantic == "open";
}
