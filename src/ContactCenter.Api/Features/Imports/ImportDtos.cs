namespace ContactCenter.Api.Features.Imports;

/// <summary>One row of the report: `row` is the file's line (the header is row 1), as a spreadsheet numbers it.</summary>
public sealed record ImportRowDto(int Row, string Outcome, string? Error, long? ContactId, long? LeadId);

/// <summary>`GET /api/imports/{id}`: queued | running | done | failed, the counts, and every row processed so far.</summary>
public sealed record ImportReport(
    long Id, string Entity, string FileName, string Status, int Total, int Created, int Merged, int Refused, string? Error,
    DateTime CreatedAt, DateTime? FinishedAt, IReadOnlyList<ImportRowDto> Rows);

/// <summary>The hub event `importProgress`, sent to the importing user only.</summary>
public sealed record ImportProgress(long Id, string Status, int Total, int Processed, int Created, int Merged, int Refused);

/// <summary>`POST /api/imports/preview`: how the server reads the file, for the column-mapping screen.</summary>
public sealed record ImportPreview(string Encoding, string Delimiter, int Records, IReadOnlyList<string[]> Rows);

/// <summary>`POST /api/imports` answers 202 with the id to follow.</summary>
public sealed record ImportAccepted(long Id, int Total);
