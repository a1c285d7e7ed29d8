using System.Globalization;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// The email parser alone (no IMAP server, no database, no app) on the recorded client samples: what the reader would
/// hand the pipeline for each. ClientSampleTests proves the same samples end stored once through a real mailbox.
/// </summary>
public sealed class EmailParserSampleTests
{
    private static readonly EmailParser.Context Context = new(ChannelId: 7, OwnAddress: "sales@shop.test", UidValidity: 1, Uid: 42, new EmailOptions());

    [Theory]
    [MemberData(nameof(ClientSamples.All), MemberType = typeof(ClientSamples))]
    public void A_client_sample_parses_to_its_sender_text_time_and_files(
        string file, string from, string name, string subject, string text, string? sentAtUtc, string[] attachments)
    {
        var verdict = EmailParser.Parse(ClientSamples.Read(file), Context);

        var store = Assert.IsType<EmailVerdict.Store>(verdict);
        var message = store.Message;
        Assert.Equal(7, message.ChannelId);
        Assert.Equal(from, message.Sender.Address);
        Assert.Equal(from, message.Sender.Email);
        Assert.Equal(name, message.Sender.DisplayName);
        Assert.Equal(subject, message.Metadata!["subject"]);
        Assert.Contains(text, message.Text, StringComparison.Ordinal);
        Assert.False(message.Metadata.ContainsKey("warning"), message.Metadata.GetValueOrDefault("warning"));
        foreach (var value in new[] { message.Text, subject, message.Sender.DisplayName })
        {
            Assert.DoesNotMatch("[ÐÑÃâ\uFFFD]", value ?? ""); // mojibake of Cyrillic or Latin-1, replacement characters
        }
        if (sentAtUtc is null)
        {
            Assert.Null(message.SentAt); // the pipeline then takes the receive time
        }
        else
        {
            Assert.Equal(DateTimeOffset.Parse(sentAtUtc, CultureInfo.InvariantCulture), message.SentAt);
        }
        Assert.Equal(attachments, message.Attachments.Select(a => a.FileName));
        Assert.All(message.Attachments, a => Assert.True(a.Content is { Length: > 0 }, $"{a.FileName} has no content"));
        Assert.False(message.Automated);
        Assert.False(string.IsNullOrEmpty(message.ExternalId));
    }

    [Fact]
    public void The_same_bytes_parse_to_the_same_external_id_so_a_second_read_is_a_duplicate()
    {
        var raw = ClientSamples.Read("gmail.eml");
        var first = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context)).Message;
        var again = Assert.IsType<EmailVerdict.Store>(EmailParser.Parse(raw, Context with { Uid = 43 })).Message;
        Assert.Equal(first.ExternalId, again.ExternalId);
    }
}
