using System.Text.Json;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ContactCenter.Connectors.Telegram.Tests;

/// <summary>The pure mapper against every Bot API sample, without an app.</summary>
public sealed class BotApiSampleMapperTests
{
    private static TelegramInbound Map(string sample)
    {
        var raw = BotApiSamples.Raw(sample);
        return TelegramInboundMapper.Map(3, JsonSerializer.Deserialize<Update>(raw, JsonBotAPI.Options)!, raw);
    }

    [Theory]
    [MemberData(nameof(BotApiSamples.MessageNames), MemberType = typeof(BotApiSamples))]
    public void Every_message_sample_maps_to_its_text_file_and_reply(string sample)
    {
        var expected = BotApiSamples.Messages.Single(m => m.Sample == sample);

        var message = Assert.IsType<TelegramInbound.NewMessage>(Map(sample)).Message;

        Assert.Equal($"{BotApiSamples.ChatId}:{expected.MessageId}", message.ExternalId);
        Assert.Equal(expected.Text, message.Text);
        Assert.Equal(expected.File is null ? [] : [expected.File], message.Attachments.Select(a => new BotApiSamples.Attachment(a.FileName, a.ContentType!)).ToArray());
        Assert.Equal(expected.ReplyTo is { } r ? $"{BotApiSamples.ChatId}:{r}" : null, message.ReplyToExternalId);
        Assert.Equal("6123456789", message.Sender.Address);
        Assert.Equal("Ольга Кузнецова", message.Sender.DisplayName);
        Assert.Equal("olga_kuz", message.Sender.Username);
        Assert.Equal(TimeSpan.Zero, message.SentAt!.Value.Offset);
    }

    [Fact]
    public void The_forwarded_sample_says_whom_it_was_forwarded_from()
    {
        var message = Assert.IsType<TelegramInbound.NewMessage>(Map("forwarded")).Message;
        Assert.Equal("Игорь", message.Metadata!["forwardedFrom"]);
        Assert.False(Assert.IsType<TelegramInbound.NewMessage>(Map("text_ru")).Message.Metadata?.ContainsKey("forwardedFrom") ?? false);
    }

    [Fact]
    public void The_photo_sample_takes_the_largest_size()
    {
        var message = Assert.IsType<TelegramInbound.NewMessage>(Map("photo_caption")).Message;
        var photo = Assert.Single(message.Attachments);
        Assert.Equal("AgACAgIAAxkBAAIIm2dPhoto-y", photo.ExternalRef);
        Assert.Equal(203117, photo.Size);
    }

    [Fact]
    public void A_stated_size_below_zero_is_no_size()
    {
        // Found by an outside review (session 42): `file_size: -1` was stored as the attachment's size.
        var raw = BotApiSamples.Raw("photo_caption").Replace("203117", "-1", StringComparison.Ordinal);
        var message = Assert.IsType<TelegramInbound.NewMessage>(TelegramInboundMapper.Map(3, JsonSerializer.Deserialize<Update>(raw, JsonBotAPI.Options)!, raw)).Message;

        Assert.Null(Assert.Single(message.Attachments).Size);
    }

    [Fact]
    public void The_edited_message_sample_is_an_edit_of_the_first_message()
    {
        var edit = Assert.IsType<TelegramInbound.Edit>(Map("edited_message")).Value;
        Assert.Equal($"{BotApiSamples.ChatId}:2201", edit.ExternalId);
        Assert.Equal(BotApiSamples.EditedText, edit.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764590800), edit.EditedAt);
    }

    [Fact]
    public void The_callback_query_sample_is_kept_as_unhandled_with_its_kind()
    {
        var unhandled = Assert.IsType<TelegramInbound.Unhandled>(Map("callback_query")).Value;
        Assert.Equal("callback_query", unhandled.Kind);
        Assert.Equal("update:902114309", unhandled.ExternalId);
    }

    [Fact]
    public void The_kicked_sample_says_the_customer_blocked_the_bot()
    {
        Assert.Equal(new TelegramInbound.BotBlocked("6123456789", Blocked: true), Map("my_chat_member_kicked"));
    }
}
