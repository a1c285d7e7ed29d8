using System.Diagnostics;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Core;

namespace ContactCenter.Api.Inbound;

/// <summary>
/// What storing one message gave: its result and, when this call stored it, the client's records to push (no read-back)
/// and the lead or deal it opened (pushed in the same fan-out).
/// </summary>
public sealed record Ingested(IngestResult Result, MessageDto? Message = null, MessageDto? WakeNote = null, CrmChanges? Crm = null)
{
    /// <summary>The span of the group commit that stored it (`inbound.batch`), for the caller's span to link to.</summary>
    public ActivityContext Batch { get; init; }

    /// <summary>
    /// False when the batch read the channel's routing mode and it assigns nobody automatically (manual, or offered to
    /// all): the push then skips the router's read of the conversation and channel. Null when not known (stored alone).
    /// </summary>
    public bool? MayRoute { get; init; }

    /// <summary>The batch's one read for the pushes of its messages that are not routed (<see cref="BatchPushReads"/>); null when stored alone.</summary>
    public BatchPushReads? PushReads { get; init; }
}
