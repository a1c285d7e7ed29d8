using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using MimeKit;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// Mail as real senders get it wrong, and where replies then go (an outside review, session 29): a Message-ID reused by
/// another email, a web form that writes from noreply@, a customer with two addresses merged into one contact, and the
/// first email of a conversation a manager starts.
/// </summary>
public sealed class RealSendersTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Another_email_that_reuses_a_message_id_is_stored_as_its_own_and_a_repeat_of_either_is_not()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var romashka = Mail.Text(mailbox.Address, "Счет №1", "Счёт №1 на 10 000 руб.", from: "buh@romashka.test", messageId: "1@localhost", fromName: "ООО Ромашка");
        var les = Mail.Text(mailbox.Address, "Счет №2", "Счёт №2 на 20 000 руб.", from: "buh@les.test", messageId: "1@localhost", fromName: "ООО Лес");
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(romashka));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(les));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);

        // Both read again (a second copy in the mailbox); a liveness marker read after them proves the reader got past them.
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(romashka));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(les));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Marker", "after the repeats", messageId: "marker@customer.test")));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 3);

        var stored = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(["Счёт №1 на 10 000 руб.", "Счёт №2 на 20 000 руб.", "after the repeats"], stored.Select(m => m.Text));
        Assert.Equal("1@localhost", stored[0].ExternalId);
        Assert.StartsWith("1@localhost#", stored[1].ExternalId, StringComparison.Ordinal);
        Assert.NotEqual(stored[0].ConversationId, stored[1].ConversationId);
        await using var db = fixture.Db();
        Assert.Equal(["buh@les.test", "buh@romashka.test", Mail.Customer],
            (await db.QueryAsync<string>("select email from contacts order by email")).ToList());
    }

    [Fact]
    public async Task A_web_form_from_noreply_makes_each_person_a_contact_and_the_reply_goes_to_that_person()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        var olga = Mail.Text(mailbox.Address, "Заявка с сайта", "Имя: Ольга\nХочу диван", from: "noreply@site.test", messageId: "form1@site.test", fromName: "Сайт");
        olga.ReplyTo.Add(new MailboxAddress("Ольга", "olga@customer2.test"));
        var petr = Mail.Text(mailbox.Address, "Заявка с сайта", "Имя: Пётр\nХочу кресло", from: "noreply@site.test", messageId: "form2@site.test", fromName: "Сайт");
        petr.ReplyTo.Add(new MailboxAddress("Пётр", "petr@customer3.test"));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(olga));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(petr));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        var stored = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.NotEqual(stored[0].ConversationId, stored[1].ConversationId);
        await using var db = fixture.Db();
        Assert.Equal([("Ольга", "olga@customer2.test"), ("Пётр", "petr@customer3.test")],
            (await db.QueryAsync<(string, string)>("select name, email from contacts order by id")).ToList());

        await ReplyAsync(stored[0].ConversationId, "Ольга, спасибо за заявку!");
        var sent = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("спасибо за заявку", StringComparison.Ordinal) == true);
        Assert.Equal("olga@customer2.test", sent.To.Mailboxes.Single().Address);
        Assert.Equal("form1@site.test", sent.InReplyTo);
    }

    [Fact]
    public async Task After_two_addresses_are_merged_into_one_contact_a_reply_goes_to_the_address_that_wrote_in_that_conversation()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Work", "from work", from: "sveta@work.test", messageId: "w@work.test", fromName: "Sveta")));
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(Mail.Text(mailbox.Address, "Home", "from home", from: "sveta@home.test", messageId: "h@home.test", fromName: "Sveta")));
        await fixture.WaitForMessagesAsync(mailbox.ChannelId, 2);
        var stored = await fixture.MessagesAsync(mailbox.ChannelId);
        await using var db = fixture.Db();
        var contacts = (await db.QueryAsync<long>("select contact_id from conversations order by id")).ToList();
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            (await http.PostAsJsonAsync($"/api/contacts/{contacts[0]}/merge", new { otherContactId = contacts[1] })).EnsureSuccessStatusCode();
        }
        Assert.Equal(1, await db.ExecuteScalarAsync<int>("select count(distinct contact_id) from conversations"));

        await ReplyAsync(stored[1].ConversationId, "Ответ в домашнюю переписку");
        var home = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("домашнюю", StringComparison.Ordinal) == true);
        Assert.Equal("sveta@home.test", home.To.Mailboxes.Single().Address);
        await ReplyAsync(stored[0].ConversationId, "Ответ в рабочую переписку");
        var work = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("рабочую", StringComparison.Ordinal) == true);
        Assert.Equal("sveta@work.test", work.To.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task The_first_email_of_a_conversation_a_manager_starts_is_titled_by_its_first_line_and_the_next_one_answers_it()
    {
        var (mailbox, channel) = await fixture.CreateMailboxChannelAsync();
        using var http = fixture.App.Http(fixture.AdminToken);
        var contact = await (await http.PostAsJsonAsync("/api/contacts", new { name = "Олег", email = "oleg@customer.test" })).Content.ReadFromJsonAsync<JsonObject>();
        var started = await http.PostAsJsonAsync("/api/conversations", new
        {
            contactId = contact!["id"]!.GetValue<long>(), channelId = channel["id"]!.GetValue<long>(), text = "Ваш заказ готов\nЗаберите его до пятницы.",
        });
        var body = await started.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(started.IsSuccessStatusCode, body?.ToJsonString());
        var conversationId = body!["id"]!.GetValue<long>();

        var first = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("до пятницы", StringComparison.Ordinal) == true);
        Assert.Equal($"Ваш заказ готов [#CC-{conversationId}]", first.Subject);
        Assert.Equal("oleg@customer.test", first.To.Mailboxes.Single().Address);
        await fixture.WaitUntilAsync(async () => (await fixture.MessagesAsync(mailbox.ChannelId)).Any(m => m.Status == "sent"), "the first email sent");

        await ReplyAsync(conversationId, "Напоминаем о заказе.");
        var second = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains("Напоминаем", StringComparison.Ordinal) == true);
        Assert.Equal($"Re: Ваш заказ готов [#CC-{conversationId}]", second.Subject);
        Assert.Equal(first.MessageId, second.InReplyTo);
    }

    private async Task ReplyAsync(long conversationId, string text)
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/messages", new { text });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
