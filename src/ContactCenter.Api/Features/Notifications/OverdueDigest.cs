using ContactCenter.Connectors.Email;
using ContactCenter.Core;
using ContactCenter.Core.Net;
using Dapper;
using Hangfire;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;
using Npgsql;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>
/// The daily email of overdue activities (a Hangfire recurring job, <see cref="NotificationOptions.DigestHour"/>): one
/// email per user who has any, never two on one day. The (user, day) row is claimed before sending, on whichever node
/// runs the job; a failed send gives the claim back so the next run may try again.
/// </summary>
public sealed class OverdueDigest(NpgsqlDataSource db, IChannelDirectory channels, OutboundGuard guard, TimeProvider clock,
    IOptions<NotificationOptions> options, IOptions<SnoozeOptions> instance, ILogger<OverdueDigest> logger)
{
    public const string JobId = "overdue-activities-digest";

    private sealed class Item
    {
        public long UserId { get; init; }
        public string Email { get; init; } = "";
        public string Name { get; init; } = "";
        public string Title { get; init; } = "";
        public string Type { get; init; } = "";
        public DateTimeOffset DueAt { get; init; }
        public string? Subject { get; init; }
        public string? Language { get; init; }
        public string? TimeZone { get; init; }
    }

    /// <summary>Sends today's digests; returns how many emails went out.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        const string sql = """
            select u.id as user_id, u.email, u.name, a.title, a.type, a.due_at,
                   (select s.settings ->> 'language' from user_settings s where s.user_id = u.id) as language,
                   u.working_hours ->> 'timeZone' as time_zone,
                   coalesce((select d.title from deals d where a.subject_type = 'deal' and d.id = a.subject_id),
                            (select l.title from leads l where a.subject_type = 'lead' and l.id = a.subject_id)) as subject
            from activities a join users u on u.id = a.assignee_id
            where a.completed_at is null and a.due_at < @now and u.is_active
              and not exists (select 1 from notification_digests g where g.user_id = u.id and g.day = @day)
            order by u.id, a.due_at, a.id
            """;
        List<Item> items;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            items = (await connection.QueryAsync<Item>(new CommandDefinition(sql, new { now = now.UtcDateTime, day }, cancellationToken: ct))).ToList();
        }
        if (items.Count == 0)
        {
            return 0;
        }
        var smtp = await SmtpAsync(ct);
        if (smtp is null)
        {
            logger.LogWarning("Overdue digest skipped: no Notifications:Smtp host and no active email channel");
            return 0;
        }
        var sent = 0;
        foreach (var user in items.GroupBy(i => i.UserId))
        {
            if (!await ClaimAsync(user.Key, day, ct))
            {
                continue;
            }
            try
            {
                await SendAsync(smtp.Value, Compose(smtp.Value.Settings.Address, user.ToList(), day, Zone(user.First().TimeZone)), ct);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Overdue digest to user {UserId} failed", user.Key);
                await using var connection = await db.OpenConnectionAsync(ct);
                await connection.ExecuteAsync(new CommandDefinition(
                    "delete from notification_digests where user_id = @userId and day = @day", new { userId = user.Key, day }, cancellationToken: ct));
            }
        }
        return sent;
    }

    private async Task<bool> ClaimAsync(long userId, DateOnly day, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            insert into notification_digests (user_id, day, sent_at) values (@userId, @day, now()) on conflict do nothing
            """, new { userId, day }, cancellationToken: ct)) == 1;
    }

    /// <param name="Guarded">A channel's server (typed in by an admin) goes through the outbound guard; the configured one is the operator's.</param>
    private readonly record struct Smtp(EmailSettings Settings, bool Guarded);

    private async Task<Smtp?> SmtpAsync(CancellationToken ct)
    {
        var o = options.Value.Smtp;
        if (!string.IsNullOrWhiteSpace(o.Host))
        {
            return new Smtp(new EmailSettings(o.From ?? o.User ?? "", "", 0, "auto", o.Host, o.Port, o.Security, o.User ?? "", o.Password ?? ""), false);
        }
        var channel = (await channels.ListAsync(ChannelKinds.Email, ct)).Where(c => c.Enabled).OrderBy(c => c.Id).FirstOrDefault();
        return channel is null ? null : new Smtp(EmailSettings.From(channel), true);
    }

    /// <summary>The user's own zone (their working hours), else the instance's (Snooze:TimeZone), else UTC.</summary>
    private TimeZoneInfo Zone(string? userZone)
    {
        foreach (var id in new[] { userZone, instance.Value.TimeZone })
        {
            if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return zone.Id is "UTC" or "Etc/UTC" ? TimeZoneInfo.Utc : zone;
            }
        }
        return TimeZoneInfo.Utc;
    }

    private static MimeMessage Compose(string from, List<Item> items, DateOnly day, TimeZoneInfo zone)
    {
        var first = items[0];
        var (subject, body) = DigestText.Compose(first.Language, zone, first.Name,
            items.Select(i => new DigestLine(i.Title, i.Type, i.DueAt, i.Subject)).ToList(), day);
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(new MailboxAddress(first.Name, first.Email));
        return message;
    }

    private async Task SendAsync(Smtp smtp, MimeMessage message, CancellationToken ct)
    {
        var s = smtp.Settings;
        using var client = new SmtpClient { Timeout = 30_000 };
        EmailTls.Configure(client, s);
        if (smtp.Guarded)
        {
            await client.ConnectAsync(await guard.ConnectSocketAsync(s.SmtpHost, s.SmtpPort, ct), s.SmtpHost, s.SmtpPort, EmailSettings.Socket(s.SmtpSecurity), ct);
        }
        else
        {
            await client.ConnectAsync(s.SmtpHost, s.SmtpPort, EmailSettings.Socket(s.SmtpSecurity), ct);
        }
        if (client.Capabilities.HasFlag(SmtpCapabilities.Authentication) && s.Username.Length > 0)
        {
            await client.AuthenticateAsync(s.Username, s.Password, ct);
        }
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}
