namespace ContactCenter.Api.Features.Conversations;

/// <summary>
/// A page of a conversation's messages that need not be the newest (`?around=` / `?after=`), newest first:
/// `nextCursor` reads older messages (as the plain page's does), `newerCursor` newer ones (`?after=`), null at either end.
/// </summary>
public sealed record MessageWindow(IReadOnlyList<MessageDto> Items, string? NextCursor, string? NewerCursor);
