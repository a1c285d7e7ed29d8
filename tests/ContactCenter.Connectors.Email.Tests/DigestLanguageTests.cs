using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using ContactCenter.Api.Features.Notifications;
using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>The overdue digest speaks the recipient's language and gives times in their zone, naming it (issue #16).</summary>
public sealed class DigestLanguageTests(ConfiguredSmtpFixture fixture) : IClassFixture<ConfiguredSmtpFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(AppFixture.TestUser User, DateTimeOffset Due)> LateUserAsync(string name, string title)
    {
        var user = await fixture.CreateUserAsync(name + Guid.NewGuid().ToString("N")[..6], "manager");
        using var http = fixture.App.Http(user.Token);
        var deal = await (await http.PostJsonAsync("/api/deals", new { title = "Deal of " + name })).OkJsonAsync(HttpStatusCode.Created);
        var now = DateTimeOffset.UtcNow;
        var due = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddHours(-2);
        await (await http.PostJsonAsync("/api/activities", new { subject = new { type = "deal", id = deal.Id() }, type = "call", title, dueAt = due }))
            .OkJsonAsync(HttpStatusCode.Created);
        return (user, due);
    }

    [Fact]
    public async Task A_russian_speaker_in_Moscow_gets_it_in_russian_with_moscow_times_and_others_in_english_with_utc_named()
    {
        var (ivan, ivanDue) = await LateUserAsync("ivan", "Позвонить клиенту");
        var (emma, emmaDue) = await LateUserAsync("emma", "Call the buyer");
        using (var http = fixture.App.Http(ivan.Token))
        {
            (await http.PutAsJsonAsync("/api/me/settings", new { language = "ru" })).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync($"/api/users/{ivan.Id}/working-hours", new
            {
                workingHours = new { timeZone = "Europe/Moscow", days = new[] { "mon", "tue", "wed", "thu", "fri" }, from = "09:00", to = "18:00" },
            })).EnsureSuccessStatusCode();
            // Changing other settings later keeps the language.
            (await http.PutAsJsonAsync("/api/me/settings", new { sound = false })).EnsureSuccessStatusCode();
            Assert.Equal("ru", (await (await http.GetAsync("/api/me/settings")).OkJsonAsync())["language"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsJsonAsync("/api/me/settings", new { language = "klingon" })).StatusCode);
        }

        Assert.Equal(2, await fixture.App.Services.GetRequiredService<OverdueDigest>().RunAsync(CancellationToken.None));

        var russian = await fixture.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == ivan.Email));
        Assert.StartsWith("Просроченные дела (1)", russian.Subject, StringComparison.Ordinal);
        var moscow = ivanDue.ToOffset(TimeSpan.FromHours(3)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Assert.Contains($"- {moscow} Europe/Moscow  звонок: Позвонить клиенту", russian.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Здравствуйте", russian.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("UTC", russian.TextBody, StringComparison.Ordinal);

        var english = await fixture.Smtp.WaitForAsync(m => m.To.Mailboxes.Any(a => a.Address == emma.Email));
        Assert.StartsWith("Overdue activities (1)", english.Subject, StringComparison.Ordinal);
        Assert.Contains($"- {emmaDue.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC  call: Call the buyer", english.TextBody, StringComparison.Ordinal);
        Assert.Contains("Times are in UTC.", english.TextBody, StringComparison.Ordinal);
    }
}
