using ContactCenter.Api.Storage;
using ContactCenter.Core;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.FunctionalTests;

/// <summary>A file store of this class's own: the orphan sweep looks at every file in it.</summary>
public sealed class OwnFilesFixture : AppFixture
{
    public string FilesDir { get; } = Path.Combine(Path.GetTempPath(), "cc-test-own-files-" + Guid.NewGuid().ToString("N"));

    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Storage:Path"] = FilesDir;
        return settings;
    }

    public string[] Files() => Directory.Exists(FilesDir)
        ? Directory.GetFiles(FilesDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(FilesDir, f)).Order(StringComparer.Ordinal).ToArray()
        : [];
}

/// <summary>
/// Inbound files are written before the message's transaction (issue #20): a redelivery leaves no second copy, and files
/// no row refers to (a transaction that never committed) are swept once old, while every referenced file stays.
/// </summary>
public sealed class InboundFilesTests(OwnFilesFixture fixture) : IClassFixture<OwnFilesFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private InboundMessage Mail(long channelId, string externalId, params (string Name, string Text)[] files) =>
        new(channelId, externalId, null, new SenderIdentity("pat@example.com", "Pat", "pat@example.com"), "Invoice attached", null,
            files.Select(f => new InboundAttachment(f.Name, "text/plain", null, null, System.Text.Encoding.UTF8.GetBytes(f.Text))).ToList(), null, null, "{}");

    [Fact]
    public async Task A_redelivered_message_with_files_stores_them_once_and_leaves_no_second_copy_on_disk()
    {
        var channel = await fixture.CreateApiChannelAsync(null);
        var pipeline = fixture.App.Services.GetRequiredService<IInboundPipeline>();
        var before = fixture.Files();

        var first = await pipeline.IngestAsync(Mail(channel.Id, "<inv-1@example.com>", ("invoice.txt", "total 100"), ("terms.txt", "net 30")), CancellationToken.None);
        var again = await pipeline.IngestAsync(Mail(channel.Id, "<inv-1@example.com>", ("invoice.txt", "total 100"), ("terms.txt", "net 30")), CancellationToken.None);

        Assert.False(first.Duplicate);
        Assert.True(again.Duplicate);
        await using var db = fixture.Db();
        var rows = (await db.QueryAsync<(string Name, string Path)>(
            "select file_name, storage_path from attachments where message_id = @MessageId order by id", new { first.MessageId })).ToList();
        Assert.Equal(["invoice.txt", "terms.txt"], rows.Select(r => r.Name));
        Assert.Equal(rows.Select(r => r.Path).Concat(before).Order(StringComparer.Ordinal), fixture.Files());
        Assert.Equal("total 100", await File.ReadAllTextAsync(Path.Combine(fixture.FilesDir, rows[0].Path)));
    }

    [Fact]
    public async Task The_sweep_removes_old_files_no_row_refers_to_and_keeps_referenced_and_recent_ones()
    {
        var channel = await fixture.CreateApiChannelAsync(null);
        var pipeline = fixture.App.Services.GetRequiredService<IInboundPipeline>();
        var files = fixture.App.Services.GetRequiredService<AttachmentStore>();
        var stored = await pipeline.IngestAsync(Mail(channel.Id, "<kept@example.com>", ("kept.txt", "kept")), CancellationToken.None);
        await using var db = fixture.Db();
        var kept = await db.QuerySingleAsync<string>("select storage_path from attachments where message_id = @MessageId", new { stored.MessageId });
        // What a batch that never committed leaves behind: a file written before its transaction, and no row.
        var orphan = await files.SaveAsync("never committed"u8.ToArray(), CancellationToken.None);
        var recent = await files.SaveAsync("still in a transaction"u8.ToArray(), CancellationToken.None);
        var old = DateTime.UtcNow.AddDays(-2);
        File.SetLastWriteTimeUtc(Path.Combine(fixture.FilesDir, orphan), old);
        File.SetLastWriteTimeUtc(Path.Combine(fixture.FilesDir, kept), old);
        var sweeper = fixture.App.Services.GetRequiredService<OrphanFileSweeper>();

        Assert.Equal(1, await sweeper.SweepAsync(CancellationToken.None));

        var left = fixture.Files();
        Assert.DoesNotContain(orphan, left);
        Assert.Contains(kept, left);
        Assert.Contains(recent, left);
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
    }
}
