using ContactCenter.Api.Features.Messages;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Npgsql;

namespace ContactCenter.FunctionalTests;

/// <summary>The one writer of staff and system messages, straight against PostgreSQL: idempotent by client message id, and only a queued outbound message is sent.</summary>
public sealed class MessageWriterTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<MessageWriter.Written?> WriteAsync(NewMessage message)
    {
        await using var connection = new NpgsqlConnection(fixture.Postgres);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var written = await MessageWriter.WriteAsync(connection, tx, message, CancellationToken.None);
        await tx.CommitAsync();
        return written;
    }

    private async Task<(long Messages, long Outbox)> CountAsync(long conversationId, string direction)
    {
        await using var db = fixture.Db();
        return await db.QuerySingleAsync<(long, long)>("""
            select (select count(*) from messages where conversation_id = @conversationId and direction = @direction),
                   (select count(*) from outbox o join messages m on m.id = o.message_id where m.conversation_id = @conversationId and m.direction = @direction)
            """, new { conversationId, direction });
    }

    [Fact]
    public async Task The_same_client_message_id_twice_stores_one_message_with_one_outbox_item()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var conversationId = (await fixture.IngestAsync(channel, "w-1", "writer-customer", "hello"))["conversationId"]!.GetValue<long>();
        var message = new NewMessage(conversationId, Note: false, "Thanks, we are on it", DateTimeOffset.UtcNow)
        {
            ClientMessageId = "writer-1",
            Bump = ConversationBump.Touch,
        };

        var first = await WriteAsync(message);
        var second = await WriteAsync(message with { Text = "A second try" });

        Assert.NotNull(first);
        Assert.True(first.Inserted);
        Assert.NotNull(second);
        Assert.False(second.Inserted);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal((1L, 1L), await CountAsync(conversationId, "outbound"));
        await using var db = fixture.Db();
        // The first text stands; its status is the outbox worker's from here on (the api channel has no callback).
        var stored = await db.QuerySingleAsync<(string Text, long? LastMessageId)>("""
            select m.text, c.last_message_id from messages m join conversations c on c.id = m.conversation_id where m.id = @Id
            """, new { first.Id });
        Assert.Equal(("Thanks, we are on it", (long?)first.Id), stored);
    }

    [Fact]
    public async Task A_note_is_stored_sent_and_never_gets_an_outbox_item()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var conversationId = (await fixture.IngestAsync(channel, "w-2", "writer-customer", "hello"))["conversationId"]!.GetValue<long>();
        var note = new NewMessage(conversationId, Note: true, "Private: check the invoice", DateTimeOffset.UtcNow)
        {
            ClientMessageId = "writer-note",
            Bump = ConversationBump.Touch,
            OnTimeline = true,
        };

        var written = await WriteAsync(note);
        var again = await WriteAsync(note);
        var system = await WriteAsync(new NewMessage(conversationId, Note: true, "Snoozed", At: null) { Metadata = new Dictionary<string, string> { ["notice"] = "snoozed" } });

        Assert.True(written!.Inserted);
        Assert.False(again!.Inserted);
        Assert.True(system!.Inserted);
        Assert.Equal((2L, 0L), await CountAsync(conversationId, "note"));
        await using var db = fixture.Db();
        var statuses = (await db.QueryAsync<string>("select status from messages where conversation_id = @conversationId and direction = 'note'",
            new { conversationId })).ToList();
        Assert.All(statuses, status => Assert.Equal("sent", status));
        // A note is not the conversation's last message (the customer's still is).
        var last = await db.ExecuteScalarAsync<string>("""
            select m.direction from conversations c join messages m on m.id = c.last_message_id where c.id = @conversationId
            """, new { conversationId });
        Assert.Equal("inbound", last);
    }

    [Fact]
    public async Task An_outbound_record_of_what_happened_elsewhere_is_sent_without_an_outbox_item()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var conversationId = (await fixture.IngestAsync(channel, "w-3", "writer-customer", "hello"))["conversationId"]!.GetValue<long>();
        var now = DateTimeOffset.UtcNow;

        var written = await WriteAsync(new NewMessage(conversationId, Note: false, "Call to +15550100", now)
        {
            ExternalId = "CA-writer-1",
            SentAt = now,
            Bump = ConversationBump.Touch,
        });

        Assert.True(written!.Inserted);
        Assert.Equal((1L, 0L), await CountAsync(conversationId, "outbound"));
        await using var db = fixture.Db();
        Assert.Equal("sent", await db.ExecuteScalarAsync<string>("select status from messages where id = @Id", new { written.Id }));
    }
}
