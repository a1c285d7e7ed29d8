using System.Globalization;
using System.Text.Json;
using ContactCenter.Connectors.Voice;

namespace ContactCenter.Api.Features.Calls;

/// <summary>A call as clients see it (`message.call`, a `call` timeline entry's `data.call`).</summary>
public sealed record CallDto(string Direction, string From, string To, DateTimeOffset? StartedAt, int? DurationSeconds, string? AnsweredBy,
    long? AnsweredByUserId, bool Missed, string Status, long? RecordingAttachmentId);

/// <summary>
/// A call's facts are kept in its message's metadata (string values, like every message's metadata); this is the one
/// place that names the keys and turns them into <see cref="CallDto"/>.
/// </summary>
public static class CallInfo
{
    // The keys the Voice connector writes when a call comes in are its own (VoiceCallMapper.Keys); the rest are the host's.
    public const string Kind = VoiceCallMapper.Keys.Kind;
    public const string Direction = VoiceCallMapper.Keys.Direction;
    public const string From = VoiceCallMapper.Keys.From;
    public const string To = VoiceCallMapper.Keys.To;
    public const string StartedAt = VoiceCallMapper.Keys.StartedAt;
    public const string Status = VoiceCallMapper.Keys.Status;
    public const string Duration = "callDurationSeconds";
    public const string AnsweredBy = "callAnsweredBy";
    public const string AnsweredById = "callAnsweredById";
    public const string MachineAnsweredBy = "callMachineAnsweredBy";
    public const string DialStatus = "callDialStatus";
    public const string Missed = "callMissed";
    public const string Final = "callFinal";
    public const string UserId = "callUserId";
    public const string RecordingAttachmentId = "callRecordingAttachmentId";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static bool IsCall(IReadOnlyDictionary<string, string>? metadata) => metadata?.GetValueOrDefault(Kind) == "call";

    public static CallDto? Read(IReadOnlyDictionary<string, string>? m) => m is null || !IsCall(m) ? null : new CallDto(
        m.GetValueOrDefault(Direction) ?? "inbound",
        m.GetValueOrDefault(From) ?? "",
        m.GetValueOrDefault(To) ?? "",
        DateTimeOffset.TryParse(m.GetValueOrDefault(StartedAt), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null,
        Int(m.GetValueOrDefault(Duration)),
        m.GetValueOrDefault(AnsweredBy) ?? m.GetValueOrDefault(MachineAnsweredBy),
        long.TryParse(m.GetValueOrDefault(AnsweredById), NumberStyles.None, CultureInfo.InvariantCulture, out var by) ? by : null,
        m.GetValueOrDefault(Missed) == "true",
        m.GetValueOrDefault(Status) ?? "ringing",
        long.TryParse(m.GetValueOrDefault(RecordingAttachmentId), NumberStyles.None, CultureInfo.InvariantCulture, out var rec) ? rec : null);

    /// <summary>The call as the JSON its timeline entry carries under `call`.</summary>
    public static string TimelineJson(IReadOnlyDictionary<string, string> metadata) => JsonSerializer.Serialize(Read(metadata), Json);

    private static int? Int(string? value) => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
