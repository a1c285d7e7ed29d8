using System.Globalization;
using ContactCenter.Connectors.Sms;
using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Voice;

/// <summary>
/// Twilio Voice webhooks of a voice channel, all signed form posts: the incoming call (stored through the inbound
/// pipeline, answered with TwiML that rings the online managers), each ring round's outcome (`dial`), the manager who
/// picked up (`answered`), call status callbacks, recording callbacks and the click-to-call second leg (`outbound`).
/// </summary>
public static class VoiceWebhookEndpoint
{
    /// <summary>Twilio dials at most ten `Number`s at once.</summary>
    public const int MaxNumbersPerDial = 10;

    public static IEndpointRouteBuilder MapVoiceWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/voice/{channelId:long}").AllowAnonymous().RequireRateLimiting("webhooks");
        group.MapPost("/", Incoming);
        group.MapPost("/dial", Dial);
        group.MapPost("/answered", Answered);
        group.MapPost("/status", Status);
        group.MapPost("/recording", Recording);
        group.MapPost("/outbound", Outbound);
        return app;
    }

    private static ILogger Log(ILoggerFactory loggers) => loggers.CreateLogger(typeof(VoiceWebhookEndpoint));

    private static ContentHttpResult Xml(string twiml) => TypedResults.Text(twiml, Twiml.ContentType, System.Text.Encoding.UTF8);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Incoming(long channelId, HttpRequest request,
        IChannelDirectory channels, IInboundPipeline pipeline, ICallLedger ledger, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        var (verified, refusal) = await VoiceWebhookVerifier.VerifyAsync(channelId, request, channels, s => s.VoiceUrl(channelId), Log(loggers), ct);
        if (verified is null)
        {
            return refusal!;
        }
        var (message, errors) = VoiceCallMapper.Map(channelId, verified.Form, clock.GetUtcNow());
        if (message is null)
        {
            return TypedResults.ValidationProblem(errors, detail: "The post is not a Twilio incoming call.");
        }
        // Stored (once per CallSid) before Twilio hears anything: a redelivered webhook rings again but stores nothing new.
        await pipeline.IngestAsync(message, ct);
        var agents = await ledger.OnlineAgentsAsync(channelId, ct);
        return Xml(Ring(verified.Settings, channelId, agents, 0, withNotice: true));
    }

    /// <summary>The TwiML of one ring round from index <paramref name="from"/>: everybody at once, or the next one in turn.</summary>
    private static string Ring(VoiceSettings s, long channelId, IReadOnlyList<CallAgent> agents, int from, bool withNotice)
    {
        var recording = s.RecordCalls ? s.RecordingUrl(channelId) : null;
        if (from >= agents.Count)
        {
            return Twiml.Unavailable(VoicePhrases.NobodyAvailable(s.Language), s.Language, recording, VoicePhrases.LeaveMessage(s.Language));
        }
        var round = agents.Skip(from).Take(s.RingStrategy == VoiceSettings.Sequential ? 1 : MaxNumbersPerDial).ToList();
        var targets = round.Select(a => new Twiml.Target(a.Phone, s.AnsweredUrl(channelId, a.UserId))).ToList();
        var notice = withNotice && s.RecordCalls ? VoicePhrases.RecordingNotice(s.Language) : null;
        return Twiml.Dial(targets, s.DialUrl(channelId, from + round.Count), s.PhoneNumber, s.RecordCalls, recording, notice, s.Language);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Dial(long channelId, int next, HttpRequest request,
        IChannelDirectory channels, ICallLedger ledger, ILoggerFactory loggers, CancellationToken ct)
    {
        var (verified, refusal) = await VoiceWebhookVerifier.VerifyAsync(channelId, request, channels, s => s.DialUrl(channelId, next), Log(loggers), ct);
        if (verified is null)
        {
            return refusal!;
        }
        if (CallSid(verified.Form) is not { } sid)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["CallSid"] = ["CallSid is required."] });
        }
        var dialStatus = verified.Form.GetValueOrDefault("DialCallStatus") ?? "";
        if (dialStatus is "completed" or "answered")
        {
            await ledger.UpdateAsync(channelId, new CallUpdate(sid, null, Seconds(verified.Form.GetValueOrDefault("DialCallDuration")), null, dialStatus), ct);
            return Xml(Twiml.Hangup());
        }
        var agents = await ledger.OnlineAgentsAsync(channelId, ct);
        // Sequential: the next manager. Simultaneous: the next ten, when more than ten were online.
        if (next > 0 && next < agents.Count)
        {
            return Xml(Ring(verified.Settings, channelId, agents, next, withNotice: false));
        }
        // Nobody picked up: the caller may still leave a voicemail; the final status callback marks the call missed.
        await ledger.UpdateAsync(channelId, new CallUpdate(sid, null, null, null, dialStatus.Length == 0 ? "no-answer" : dialStatus), ct);
        return Xml(Ring(verified.Settings, channelId, [], 0, withNotice: false));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Answered(long channelId, long user, HttpRequest request,
        IChannelDirectory channels, ICallLedger ledger, ILoggerFactory loggers, CancellationToken ct)
    {
        var (verified, refusal) = await VoiceWebhookVerifier.VerifyAsync(channelId, request, channels, s => s.AnsweredUrl(channelId, user), Log(loggers), ct);
        if (verified is null)
        {
            return refusal!;
        }
        // Asked on the manager's leg: the customer's call is the parent.
        if ((verified.Form.GetValueOrDefault("ParentCallSid") is { Length: > 0 and <= 64 } parent ? parent : CallSid(verified.Form)) is not { } sid)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["CallSid"] = ["CallSid is required."] });
        }
        await ledger.AnsweredAsync(channelId, sid, user, ct);
        return Xml(Twiml.Empty());
    }

    private static async Task<Results<Ok, ProblemHttpResult, ValidationProblem>> Status(long channelId, HttpRequest request,
        IChannelDirectory channels, ICallLedger ledger, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = Log(loggers);
        var (verified, refusal) = await VoiceWebhookVerifier.VerifyAsync(channelId, request, channels, s => s.StatusUrl(channelId), logger, ct);
        if (verified is null)
        {
            return refusal!;
        }
        var form = verified.Form;
        if (CallSid(form) is not { } sid || form.GetValueOrDefault("CallStatus") is not { Length: > 0 and <= 32 } status)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["CallStatus"] = ["CallSid and CallStatus are required."] },
                detail: "The post is not a Twilio call status callback.");
        }
        var update = new CallUpdate(sid, status.ToLowerInvariant(), Seconds(form.GetValueOrDefault("CallDuration")),
            form.GetValueOrDefault("AnsweredBy") is { Length: > 0 and <= 32 } by ? by : null);
        if (!await ledger.UpdateAsync(channelId, update, ct))
        {
            // 200 all the same: Twilio must not retry a callback for a call this channel never stored.
            logger.LogWarning("Voice channel {ChannelId}: status {Status} for unknown call {CallSid} ignored", channelId, status, sid);
        }
        return TypedResults.Ok();
    }

    private static async Task<Results<Ok, ProblemHttpResult, ValidationProblem>> Recording(long channelId, HttpRequest request,
        IChannelDirectory channels, ICallLedger ledger, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = Log(loggers);
        var (verified, refusal) = await VoiceWebhookVerifier.VerifyAsync(channelId, request, channels, s => s.RecordingUrl(channelId), logger, ct);
        if (verified is null)
        {
            return refusal!;
        }
        var form = verified.Form;
        var errors = new Dictionary<string, string[]>();
        var sid = CallSid(form);
        if (sid is null)
        {
            errors["CallSid"] = ["CallSid is required."];
        }
        if (form.GetValueOrDefault("RecordingSid") is not { Length: > 0 and <= 64 } recordingSid)
        {
            errors["RecordingSid"] = ["RecordingSid is required."];
            recordingSid = "";
        }
        // A signed post may still name any URL: only Twilio's hosts (or the channel's own API base) are fetched.
        if (form.GetValueOrDefault("RecordingUrl") is not { Length: > 0 and <= 2000 } url || !TwilioHttp.IsMediaHost(url, verified.Settings.ApiBaseUrl))
        {
            errors["RecordingUrl"] = ["RecordingUrl must be a recording on Twilio's API."];
            url = "";
        }
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, detail: "The post is not a Twilio recording status callback.");
        }
        if (form.GetValueOrDefault("RecordingStatus") is { Length: > 0 } recordingStatus && recordingStatus != "completed")
        {
            logger.LogInformation("Voice channel {ChannelId}: recording {RecordingSid} is {Status}; nothing to fetch", channelId, recordingSid, recordingStatus);
            return TypedResults.Ok();
        }
        if (!await ledger.QueueRecordingAsync(channelId, sid!, recordingSid, url, ct))
        {
            logger.LogWarning("Voice channel {ChannelId}: recording {RecordingSid} of unknown call {CallSid} ignored", channelId, recordingSid, sid);
        }
        return TypedResults.Ok();
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> Outbound(long channelId, string? to, HttpRequest request,
        IChannelDirectory channels, ILoggerFactory loggers, CancellationToken ct)
    {
        // The signature first (over the address as called, whatever `to` holds): an unsigned caller learns nothing about
        // what this route takes (it answered them 400 for a bad `to`).
        var (verified, refusal) = await VoiceWebhookVerifier.VerifyAsync(channelId, request, channels, s => s.OutboundUrl(channelId, to ?? ""), Log(loggers), ct);
        if (verified is null)
        {
            return refusal!;
        }
        if (E164.NormalizePossible(to) is not { } number || number != to)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["to"] = ["to must be the contact's number in E.164."] });
        }
        var s = verified.Settings;
        // The manager is on the line already; the notice is for the contact, whom Twilio connects straight after.
        return Xml(Twiml.DialContact(number, s.PhoneNumber, s.RecordCalls, s.RecordCalls ? s.RecordingUrl(channelId) : null, notice: null, s.Language));
    }

    private static string? CallSid(IReadOnlyDictionary<string, string> form) =>
        form.GetValueOrDefault("CallSid")?.Trim() is { Length: > 0 and <= 64 } sid ? sid : null;

    private static int? Seconds(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds < 100_000_000 ? seconds : null;
}
