namespace ContactCenter.Api.Features.Canned;

/// <summary>A canned response as its reader sees it: <see cref="CanEdit"/> says whether the caller may change it.</summary>
public sealed record CannedResponseDto(
    long Id, string Shortcut, string? Title, string Text, bool Shared, bool CanEdit,
    IReadOnlyList<CannedFileDto> Attachments, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record CannedFileDto(long Id, string FileName, string ContentType, long Size);

/// <summary>POST body; <see cref="Shared"/> false (or absent) makes a personal response of the caller.</summary>
public sealed record CannedCreateRequest(string? Shortcut, string? Title, string? Text, bool? Shared);

/// <summary>PATCH body: absent (null) fields stay as they are; an empty title clears it. Sharing is fixed at creation.</summary>
public sealed record CannedPatchRequest(string? Shortcut, string? Title, string? Text, bool? Shared);

public sealed record CannedRenderRequest(long? ConversationId);

/// <summary>The filled text, and the response's files as fresh reply uploads of the conversation (attachment ids for the reply).</summary>
public sealed record CannedRenderResult(string Text, IReadOnlyList<Conversations.AttachmentDto> Attachments);
