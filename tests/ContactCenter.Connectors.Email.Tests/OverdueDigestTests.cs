using System.Net;
using ContactCenter.Api.Features.Notifications;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>The daily digest of overdue activities, sent through the first email channel's SMTP to the real test server.</summary>
public sealed class OverdueDigestTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_user_with_overdue_activities_gets_one_digest_a_day_through_the_email_channels_SMTP()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var late = await fixture.CreateUserAsync("late" + Guid.NewGuid().ToString("N")[..6], "manager");
        var punctual = await fixture.CreateUserAsync("punctual" + Guid.NewGuid().ToString("N")[..6], "manager");
        using var http = fixture.App.Http(late.Token);
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Fleet renewal" })).OkJsonAsync(HttpStatusCode.Created);
        foreach (var (title, due) in new[] { ("Call the buyer", DateTimeOffset.UtcNow.AddHours(-3)), ("Send the offer", DateTimeOffset.UtcNow.AddMinutes(-10)), ("Meet", DateTimeOffset.UtcNow.AddDays(2)) })
        {
            await (await http.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = deal.Id() }, type = "call", title, dueAt = due }))
                .OkJsonAsync(HttpStatusCode.Created);
        }
        using var punctualHttp = fixture.App.Http(punctual.Token);
        var other = await (await punctualHttp.PostJsonAsync("/api/deals", new { title = "On time" })).OkJsonAsync(HttpStatusCode.Created);
        await (await punctualHttp.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = other.Id() }, type = "call", title = "Later", dueAt = DateTimeOffset.UtcNow.AddDays(1) }))
            .OkJsonAsync(HttpStatusCode.Created);
        var digest = fixture.App.Services.GetRequiredService<OverdueDigest>();

        Assert.Equal(1, await digest.RunAsync(CancellationToken.None));

        var mail = await fixture.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == late.Email) && (m.Subject ?? "").StartsWith("Overdue activities", StringComparison.Ordinal));
        Assert.Equal(mailbox.Address, mail.From.Mailboxes.Single().Address);
        Assert.Contains("Call the buyer", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Send the offer", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Fleet renewal", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Meet", mail.TextBody, StringComparison.Ordinal);

        // A second run the same day (another node, a retry) sends nothing.
        Assert.Equal(0, await digest.RunAsync(CancellationToken.None));
        Assert.Single(fixture.Smtp.Received, r => (r.Message.Subject ?? "").StartsWith("Overdue activities", StringComparison.Ordinal) && r.Recipients.Contains(late.Email));
        Assert.DoesNotContain(fixture.Smtp.Received, r => r.Recipients.Contains(punctual.Email));

        var jobs = await (await fixture.App.Http(fixture.AdminToken).GetAsync("/api/admin/jobs")).OkJsonAsync();
        Assert.Contains(jobs["recurring"]!.AsArray(), r => r!["id"]!.GetValue<string>() == OverdueDigest.JobId);
    }
}

/// <summary>The app with `Notifications:Smtp` configured: the digest goes there, no email channel needed.</summary>
public sealed class ConfiguredSmtpFixture : EmailFixture
{
    public const string From = "digest@cc.test";

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Notifications:Smtp:Host"] = "127.0.0.1";
        settings["Notifications:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Notifications:Smtp:Security"] = "none";
        settings["Notifications:Smtp:From"] = From;
        // The test server requires AUTH (any user name with its password), as a real relay would.
        settings["Notifications:Smtp:User"] = From;
        settings["Notifications:Smtp:Password"] = SmtpReceiver.Password;
        return settings;
    }
}

public sealed class ConfiguredSmtpDigestTests(ConfiguredSmtpFixture fixture) : IClassFixture<ConfiguredSmtpFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_digest_goes_through_the_configured_SMTP_when_there_is_one()
    {
        var late = await fixture.CreateUserAsync("cfg" + Guid.NewGuid().ToString("N")[..6], "manager");
        using var http = fixture.App.Http(late.Token);
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Configured" })).OkJsonAsync(HttpStatusCode.Created);
        await (await http.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = deal.Id() }, type = "email", title = "Write back", dueAt = DateTimeOffset.UtcNow.AddHours(-1) }))
            .OkJsonAsync(HttpStatusCode.Created);

        Assert.Equal(1, await fixture.App.Services.GetRequiredService<OverdueDigest>().RunAsync(CancellationToken.None));

        var mail = await fixture.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == late.Email));
        Assert.Equal(ConfiguredSmtpFixture.From, mail.From.Mailboxes.Single().Address);
        Assert.Contains("Write back", mail.TextBody, StringComparison.Ordinal);
    }
}
