namespace ContactCenter.Api.Features.Notifications;

/// <summary>`Notifications` settings.</summary>
public sealed record NotificationOptions
{
    /// <summary>How long before an activity's due time its owner gets `activity_due` (at the due time it becomes `activity_overdue`).</summary>
    public TimeSpan ActivityReminder { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The hour (UTC, 0-23) the daily digest of overdue activities goes out.</summary>
    public int DigestHour { get; init; } = 8;

    /// <summary>The digest's SMTP server; without a host, the SMTP of the first active email channel is used.</summary>
    public SmtpOptions Smtp { get; init; } = new();
}

public sealed record SmtpOptions
{
    public string? Host { get; init; }
    public int Port { get; init; } = 587;
    public string? User { get; init; }
    public string? Password { get; init; }
    public string? From { get; init; }
    /// <summary>none, starttls, ssl or auto (MailKit's choice by port).</summary>
    public string Security { get; init; } = "auto";
}
