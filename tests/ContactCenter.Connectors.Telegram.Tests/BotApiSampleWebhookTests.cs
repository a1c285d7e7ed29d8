using System.Net;
using Dapper;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>The whole Bot API sample set through the real webhook, each update delivered twice as Telegram redelivers.</summary>
public sealed class BotApiSampleWebhookTests(TelegramFixture fixture) : IClassFixture<TelegramFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetTelegramAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Row(long Id, string? Text, string ExternalId, long? ReplyToId, string? Edited);

    [Fact]
    public async Task Every_sample_is_answered_200_and_stored_once_with_its_text_and_file()
    {
        var channelId = await fixture.CreateChannelIdAsync();

        foreach (var sample in BotApiSamples.All)
        {
            for (var delivery = 1; delivery <= 2; delivery++)
            {
                var response = await fixture.PostUpdateAsync(channelId, BotApiSamples.Raw(sample));
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{sample} (delivery {delivery}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        await using var db = fixture.Db();
        var rows = (await db.QueryAsync<Row>(
            "select id, text, external_id, reply_to_id, metadata->>'edited' as edited from messages where direction = 'inbound' order by id")).ToList();
        Assert.Equal(BotApiSamples.Messages.Select(m => $"{BotApiSamples.ChatId}:{m.MessageId}"), rows.Select(r => r.ExternalId));
        foreach (var expected in BotApiSamples.Messages)
        {
            var row = rows.Single(r => r.ExternalId == $"{BotApiSamples.ChatId}:{expected.MessageId}");
            // The first message was edited later: the inbox shows the edited text.
            Assert.Equal(expected.MessageId == 2201 ? BotApiSamples.EditedText : expected.Text, row.Text);
            var files = (await db.QueryAsync<(string FileName, string ContentType)>(
                "select file_name, content_type from attachments where message_id = @Id order by id", new { row.Id })).ToList();
            Assert.Equal(expected.File is null ? [] : [expected.File], files.Select(f => new BotApiSamples.Attachment(f.FileName, f.ContentType)).ToArray());
            Assert.Equal(expected.ReplyTo is { } r ? rows.Single(x => x.ExternalId == $"{BotApiSamples.ChatId}:{r}").Id : null, row.ReplyToId);
        }
        Assert.Equal("true", rows[0].Edited);
        Assert.Equal(["callback_query"], await db.QueryAsync<string>("select kind from unhandled_inbound"));
        Assert.Equal(["telegram.blocked"], await db.QueryAsync<string>("select metadata->>'notice' from messages where direction = 'note'"));
        Assert.Equal(1, await fixture.CountAsync("conversations"));
    }
}
