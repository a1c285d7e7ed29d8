using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>The Telegram app with every log line kept, at trace level.</summary>
public sealed class TelegramLogFixture : TelegramFixture
{
    public LogSink Logs { get; } = new();

    protected override IDictionary<string, string?> ExtraSettings() => VerboseLogs.Settings(base.ExtraSettings());

    protected override void ConfigureServices(IServiceCollection services) => VerboseLogs.Into(services, Logs);
}

/// <summary>The bot token is in every Bot API URL's path: no log line may carry it (secrets are never logged).</summary>
public sealed class TelegramLogsTests(TelegramLogFixture fixture) : IClassFixture<TelegramLogFixture>
{
    [Fact]
    public async Task Setting_up_a_bot_and_replying_through_it_logs_no_bot_token()
    {
        await fixture.ResetTelegramAsync();
        fixture.StubOk("sendMessage", TelegramFixture.SentMessage(5551234567, 77, "Здравствуйте!"));
        var conversationId = await fixture.OpenConversationAsync();
        var reply = await fixture.ReplyAsync(conversationId, "Здравствуйте!");
        Assert.Equal("sent", await fixture.StatusWhenSettledAsync(reply));

        var lines = fixture.Logs.Lines.ToList();
        // The set-up and the send were logged (so a token had every chance to be there).
        Assert.Contains(lines, l => l.Contains("is bot @shop_demo_bot", StringComparison.Ordinal));
        Assert.Single(fixture.Calls("sendMessage"));
        Assert.DoesNotContain(lines, l => l.Contains(TelegramFixture.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(TelegramFixture.Token.Split(':')[1], StringComparison.Ordinal));
    }
}
