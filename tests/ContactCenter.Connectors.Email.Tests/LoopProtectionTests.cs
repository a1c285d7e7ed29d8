using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Connectors.Email.Tests.Infrastructure;
using Dapper;
using MimeKit;

namespace ContactCenter.Connectors.Email.Tests;

/// <summary>
/// Mail loops: an automation rule answers every inbound email (the classic auto-acknowledgement). Machine mail
/// (out-of-office, bulk, null sender) is stored and marked, but opens no lead, queues no automation and gets no answer.
/// </summary>
public sealed class LoopProtectionTests(EmailFixture fixture) : IClassFixture<EmailFixture>, IAsyncLifetime
{
    private const string Acknowledgement = "Thank you, we received your email.";

    public Task InitializeAsync() => fixture.ResetEmailAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task AcknowledgeEveryEmailAsync()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var response = await http.PostAsJsonAsync("/api/automation/rules", new
        {
            name = "Acknowledge",
            trigger = new { type = "inboundMessage", channelKind = "email" },
            actions = new object[] { new { type = "sendMessage", text = Acknowledgement } },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<long> ScalarAsync(string sql, object? args = null)
    {
        await using var db = fixture.Db();
        return await db.ExecuteScalarAsync<long>(sql, args);
    }

    private Task WaitForUidAsync(long channelId, long uid) => fixture.WaitUntilAsync(
        async () => await ScalarAsync("select coalesce(max(last_uid), 0) from email_mailbox_state where channel_id = @channelId", new { channelId }) >= uid,
        $"UID {uid} processed");

    [Fact]
    public async Task Auto_replies_never_trigger_automation_open_a_lead_or_get_an_answer_while_a_person_does()
    {
        var (mailbox, _) = await fixture.CreateMailboxChannelAsync();
        await AcknowledgeEveryEmailAsync();

        MimeMessage[] machines =
        [
            Mail.Auto(mailbox.Address, "Automatic reply: prices", "I am out of office until Monday.", "away@customer.test", "Auto-Submitted", "auto-replied"),
            Mail.Auto(mailbox.Address, "Re: prices", "Your ticket has been received.", "helpdesk@vendor.test", "X-Autorespond", "yes"),
            Mail.Auto(mailbox.Address, "Weekly digest", "Digest", "list@lists.test", "Precedence", "list"),
            Mail.Auto(mailbox.Address, "Notice", "System notice", "daemon@customer.test", "Return-Path", "<>"),
        ];
        foreach (var m in machines)
        {
            await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(m));
        }
        await WaitForUidAsync(mailbox.ChannelId, 4);

        var machine = await fixture.MessagesAsync(mailbox.ChannelId);
        Assert.Equal(4, machine.Count);
        Assert.All(machine, m => Assert.Equal("true", m.M("autoReply")));
        Assert.Equal(0, await fixture.CountAsync("leads"));
        Assert.Equal(0, await fixture.CountAsync("deals"));
        Assert.Equal(0, await fixture.CountAsync("automation_jobs"));
        Assert.Equal(0, await fixture.CountAsync("conversations where lead_id is not null or deal_id is not null or waiting_since is not null"));

        // A person's email: the rule fires, a lead opens and the acknowledgement leaves over SMTP.
        var question = Mail.Text(mailbox.Address, "Prices", "What does the sofa cost?", messageId: "question@customer.test");
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(question));
        var acknowledgement = await fixture.Smtp.WaitForAsync(m => m.TextBody?.Contains(Acknowledgement, StringComparison.Ordinal) == true);
        Assert.Equal(Mail.Customer, acknowledgement.To.Mailboxes.Single().Address);
        Assert.Equal("question@customer.test", acknowledgement.InReplyTo);
        Assert.Equal("auto-generated", acknowledgement.Headers[HeaderId.AutoSubmitted]); // so the customer's auto-responder stays quiet
        Assert.Equal("All", acknowledgement.Headers["X-Auto-Response-Suppress"]);
        var stored = (await fixture.MessagesAsync(mailbox.ChannelId)).Single(m => m.ExternalId == "question@customer.test");
        Assert.Null(stored.M("autoReply"));
        Assert.Equal(1, await fixture.CountAsync("leads"));
        Assert.Equal(1, await fixture.CountAsync("automation_jobs"));
        await fixture.WaitUntilAsync(async () => await fixture.CountAsync("messages where direction = 'outbound' and status = 'sent'") == 1, "the acknowledgement sent");
        var conversationId = stored.ConversationId;

        // The manager closes the conversation; the customer's out-of-office answers our acknowledgement.
        using (var http = fixture.App.Http(fixture.AdminToken))
        {
            var resolved = await http.PostAsJsonAsync($"/api/conversations/{conversationId}/status", new { status = "resolved" });
            Assert.Equal(HttpStatusCode.NoContent, resolved.StatusCode);
        }
        var away = Mail.Auto(mailbox.Address, "Automatic reply: " + acknowledgement.Subject, "I am away until Monday.", Mail.Customer, "Auto-Submitted", "auto-replied");
        away.InReplyTo = acknowledgement.MessageId;
        away.References.Add("question@customer.test");
        away.References.Add(acknowledgement.MessageId!);
        await fixture.Imap.AppendAsync(mailbox.Address, Mail.Bytes(away));
        await WaitForUidAsync(mailbox.ChannelId, 6);

        var reply = (await fixture.MessagesAsync(mailbox.ChannelId)).Single(m => m.ExternalId == away.MessageId);
        Assert.Equal(conversationId, reply.ConversationId); // threaded and shown
        Assert.Equal("true", reply.M("autoReply"));
        await using var db = fixture.Db();
        var conversation = await db.QuerySingleAsync<(string Status, DateTime? WaitingSince)>(
            "select status, waiting_since from conversations where id = @conversationId", new { conversationId });
        Assert.Equal(("resolved", (DateTime?)null), conversation); // not reopened, nobody is made to wait on it
        Assert.Equal(1, await fixture.CountAsync("automation_jobs"));
        Assert.Equal(1, await fixture.CountAsync("leads"));
        // Whole rounds of the outbox and the CRM scheduler after the auto-reply was stored: nothing more may leave.
        await fixture.WorkerRoundsAsync<ContactCenter.Api.Features.Crm.Automation.CrmScheduler>();
        await fixture.WorkerRoundsAsync<ContactCenter.Api.Outbound.OutboxWorker>();
        Assert.Equal(1, await fixture.CountAsync("messages where direction = 'outbound'"));
        Assert.Single(fixture.Smtp.Received, r => r.Message.TextBody?.Contains(Acknowledgement, StringComparison.Ordinal) == true);
    }
}
