using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>Quiet hours mute desktop notifications and sound (items still land in the centre); `from` may be after `to` (over midnight).</summary>
public sealed record QuietHours(string From, string To, string TimeZone);

/// <summary>A user's notification settings: which kinds are created and pushed (missing = on), sound, quiet hours.</summary>
public sealed record NotificationSettings(IReadOnlyDictionary<string, bool> Notifications, bool Sound, QuietHours? QuietHours)
{
    public static NotificationSettings Defaults => new(NotificationKinds.All.ToDictionary(k => k, _ => true), true, null);

    public static readonly string[] Languages = ["en", "ru"];

    /// <summary>The language of emails to this user (the overdue digest): en or ru; null is English.</summary>
    public string? Language { get; init; }

    /// <summary>Every kind present (stored settings may predate a kind).</summary>
    public NotificationSettings Complete() => this with
    {
        Notifications = NotificationKinds.All.ToDictionary(k => k, k => !Notifications.TryGetValue(k, out var on) || on),
    };
}

public static class NotificationSettingsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static async Task<Ok<NotificationSettings>> Get(ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok(await ReadAsync(connection, CurrentUser.From(principal).Id, ct));
    }

    internal static async Task<NotificationSettings> ReadAsync(NpgsqlConnection connection, long userId, CancellationToken ct)
    {
        var json = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select settings::text from user_settings where user_id = @userId", new { userId }, cancellationToken: ct));
        return (json is null ? null : JsonSerializer.Deserialize<NotificationSettings>(json, Json))?.Complete() ?? NotificationSettings.Defaults;
    }

    internal static async Task<Results<Ok<NotificationSettings>, ValidationProblem>> Put(NotificationSettingsInput? body, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        var errors = new Validation();
        var settings = Parse(body, errors);
        if (errors.HasErrors || settings is null)
        {
            return errors.ToResult();
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        if (!body!.Language.IsPresent)
        {
            // A client that does not know the language (the notification settings form) keeps the one set before.
            settings = settings with { Language = (await ReadAsync(connection, CurrentUser.From(principal).Id, ct)).Language };
        }
        await connection.ExecuteAsync(new CommandDefinition("""
            insert into user_settings (user_id, settings, updated_at) values (@userId, @settings::jsonb, now())
            on conflict (user_id) do update set settings = excluded.settings, updated_at = excluded.updated_at
            """, new { userId = CurrentUser.From(principal).Id, settings = JsonSerializer.Serialize(settings, Json) }, cancellationToken: ct));
        return TypedResults.Ok(settings);
    }

    /// <summary>Strict: an unknown member or kind, a non-boolean, a malformed time or an unknown time zone is a 400, not a silent default.</summary>
    internal static NotificationSettings? Parse(NotificationSettingsInput? body, Validation errors)
    {
        if (body is null)
        {
            errors.Add("body", "A settings object is required.");
            return null;
        }
        foreach (var key in (body.Unknown?.Keys ?? Enumerable.Empty<string>()).Take(1))
        {
            errors.Add(key, $"Unknown field {key}: settings are notifications, sound, quietHours and language.");
        }
        var kinds = NotificationSettings.Defaults.Notifications.ToDictionary();
        foreach (var (kind, value) in body.Notifications ?? [])
        {
            // The first wrong entry is named; the answer does not grow with the body (50,000 unknown kinds are one error).
            if (!NotificationKinds.All.Contains(kind))
            {
                errors.Add("notifications", $"Unknown kind '{(kind.Length > 64 ? kind[..64] + "…" : kind)}'; kinds are {string.Join(", ", NotificationKinds.All)}.");
                break;
            }
            if (value is not { } on)
            {
                errors.Add("notifications", $"notifications.{kind} must be true or false.");
                break;
            }
            kinds[kind] = on;
        }
        errors.Require("sound", !body.Sound.IsMalformed, "sound must be true or false.");
        QuietHours? quiet = body.QuietHours is { } q ? ParseQuiet(q, errors) : null;
        string? language = null;
        if (body.Language.IsPresent)
        {
            language = body.Language.Value;
            errors.Require("language", !body.Language.IsMalformed && (language is null || NotificationSettings.Languages.Contains(language)), "language is en or ru (or null).");
        }
        return errors.HasErrors ? null : new NotificationSettings(kinds, body.Sound.Value ?? true, quiet) { Language = language };
    }

    private static QuietHours? ParseQuiet(NotificationSettingsInput.QuietHoursInput q, Validation errors)
    {
        foreach (var key in (q.Unknown?.Keys ?? Enumerable.Empty<string>()).Take(1))
        {
            errors.Add($"quietHours.{key}", $"Unknown field quietHours.{key}: quietHours is {{from, to, timeZone}}.");
        }
        var from = q.From.Value;
        var to = q.To.Value;
        var zone = q.TimeZone.Value ?? "UTC";
        errors.Require("quietHours.from", IsTime(from), "from is a time like 22:00.");
        errors.Require("quietHours.to", IsTime(to), "to is a time like 08:00.");
        errors.Require("quietHours.from", from != to || !IsTime(from), "from and to must differ.");
        errors.Require("quietHours.timeZone", zone.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _), "timeZone is an IANA time zone such as Europe/Moscow.");
        return errors.HasErrors ? null : new QuietHours(from!, to!, zone);
    }

    private static bool IsTime(string? value) => ClockTime.IsValid(value);
}
