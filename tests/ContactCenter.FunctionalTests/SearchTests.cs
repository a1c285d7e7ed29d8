using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>GET /api/search (issue #16): morphology, subjects, contacts, visibility, safe snippets, paging, bad input; and the messages window around a hit.</summary>
public sealed class SearchTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_russian_word_finds_its_other_forms_and_marks_them()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var sent = await fixture.IngestAsync(channel, "ru-1", "ru-cust", "Подскажите, пожалуйста, статус доставки моего заказа");
        await fixture.IngestAsync(channel, "ru-2", "ru-other", "Спасибо, всё хорошо");
        using var admin = fixture.App.Http(fixture.AdminToken);

        var hit = Assert.Single(await HitsAsync(admin, "доставка"));
        Assert.Equal(sent["messageId"]!.GetValue<long>(), hit.Id("messageId"));
        Assert.Equal(sent["conversationId"]!.GetValue<long>(), hit.Id("conversationId"));
        Assert.Contains("<mark>доставки</mark>", Snippet(hit));
        Assert.NotNull(hit["createdAt"]);
        // Capitals and ё are folded: "Доставку" at the start of a sentence, "ё" typed as "е".
        var capital = await fixture.IngestAsync(channel, "ru-3", "ru-third", "Доставку перенесли, ёлку привезут завтра");
        Assert.Equal(capital["messageId"]!.GetValue<long>(), Assert.Single(await HitsAsync(admin, "елка")).Id("messageId"));
        Assert.Equal(2, (await HitsAsync(admin, "ДОСТАВКА")).Count);
    }

    [Fact]
    public async Task An_english_word_finds_its_other_forms()
    {
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.IngestAsync(channel, "en-1", "en-cust", "Hi! My parcel was delivered to the wrong address");
        await fixture.IngestAsync(channel, "en-2", "en-other", "Where is my refund?");
        using var admin = fixture.App.Http(fixture.AdminToken);

        Assert.Contains("<mark>delivered</mark>", Snippet(Assert.Single(await HitsAsync(admin, "delivery"))));
        Assert.Contains("<mark>refund</mark>", Snippet(Assert.Single(await HitsAsync(admin, "refunds"))));
        Assert.Empty(await HitsAsync(admin, "invoice"));
    }

    [Fact]
    public async Task An_email_subject_is_searched()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var sent = await fixture.IngestAsync(channel, "subj-1", "subj-cust", "Please see the attached file.");
        // The email connector keeps an email's subject in the message's metadata (EmailParser); set it as it does.
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update messages set metadata = jsonb_build_object('subject', 'Счёт на оплату за ноябрь') where id = @id", new { id = sent["messageId"]!.GetValue<long>() });
        }
        using var admin = fixture.App.Http(fixture.AdminToken);

        var hit = Assert.Single(await HitsAsync(admin, "счета"));
        Assert.Equal(sent["messageId"]!.GetValue<long>(), hit.Id("messageId"));
        // Marked on a cluster with a UTF-8 locale; the tests' C-locale cluster finds it but cannot fold the capital for ts_headline.
        Assert.Contains("Счёт", Snippet(hit));
    }

    [Fact]
    public async Task A_part_of_a_contacts_name_or_phone_finds_their_conversation_at_its_latest_message()
    {
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.IngestAsync(channel, "c-1", "anastasia", "Первое сообщение", name: "Анастасия Петрова");
        var latest = await fixture.IngestAsync(channel, "c-2", "anastasia", "Второе сообщение");
        await fixture.IngestAsync(channel, "c-3", "somebody", "Другой клиент", name: "Иван Сидоров");
        await using (var db = fixture.Db())
        {
            await db.ExecuteAsync("update contacts set phone = '+79161234567' where name = 'Анастасия Петрова'");
        }
        using var admin = fixture.App.Http(fixture.AdminToken);

        var byName = Assert.Single(await HitsAsync(admin, "петро"));
        Assert.Equal(latest["messageId"]!.GetValue<long>(), byName.Id("messageId"));
        Assert.Equal("Анастасия <mark>Петро</mark>ва: Второе сообщение", Snippet(byName));

        var byPhone = Assert.Single(await HitsAsync(admin, "916 123"));
        Assert.Equal(latest["messageId"]!.GetValue<long>(), byPhone.Id("messageId"));
        Assert.StartsWith("+7<mark>916123</mark>4567", Snippet(byPhone));
    }

    [Fact]
    public async Task A_second_manager_never_gets_a_hit_from_a_conversation_they_cannot_see()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var m1 = await fixture.CreateUserAsync("s1", "manager", channel.Id);
        var m2 = await fixture.CreateUserAsync("s2", "manager", channel.Id);
        var supervisor = await fixture.CreateUserAsync("ssup", "supervisor");
        var created = await fixture.IngestAsync(channel, "v-1", "vip", "Секретная доставка бриллиантов", name: "Очень Важный Клиент");
        var id = created["conversationId"]!.GetValue<long>();
        using var http1 = fixture.App.Http(m1.Token);
        using var http2 = fixture.App.Http(m2.Token);
        using var staff = fixture.App.Http(supervisor.Token);

        // Unassigned in their channel: both see it.
        Assert.Single(await HitsAsync(http2, "бриллианты"));
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/assign", new { userId = m1.Id })).EnsureSuccessStatusCode();
        // A private note: whoever sees the conversation sees its notes, in search as in the thread.
        (await http1.PostAsJsonAsync($"/api/conversations/{id}/messages", new { text = "заметка: клиент просит скидку", clientMessageId = "n-1", @private = true })).EnsureSuccessStatusCode();

        foreach (var q in new[] { "бриллианты", "Важный", "скидки", "доставка" })
        {
            var page = await PageAsync(http2, q);
            Assert.Empty(page["items"]!.AsArray());
            Assert.Null(page["nextCursor"]);
        }
        Assert.Single(await HitsAsync(http1, "бриллианты"));
        Assert.Contains("<mark>скидку</mark>", Snippet(Assert.Single(await HitsAsync(http1, "скидки"))));
        Assert.Single(await HitsAsync(http1, "Важный"));
        Assert.Single(await HitsAsync(staff, "бриллианты"));
        Assert.Equal(HttpStatusCode.NotFound, (await http2.GetAsync($"/api/conversations/{id}/messages?around={created["messageId"]}")).StatusCode);
    }

    [Fact]
    public async Task A_snippet_is_escaped_html_with_only_the_hits_marked()
    {
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.IngestAsync(channel, "x-1", "hostile", "<script>alert('x')</script> Tom & Jerry \"quoted\" 1 < 2 > 0 it's \u0001<mark>fake\u0002 доставка");
        using var admin = fixture.App.Http(fixture.AdminToken);

        var snippet = Snippet(Assert.Single(await HitsAsync(admin, "доставка")));
        Assert.Contains("<mark>доставка</mark>", snippet);
        Assert.Contains("Tom &amp; Jerry &quot;quoted&quot; 1 &lt; 2 &gt; 0 it&#39;s", snippet);
        var rest = snippet.Replace("<mark>доставка</mark>", "", StringComparison.Ordinal);
        Assert.DoesNotContain("<", rest);
        Assert.DoesNotContain(">", rest);
        Assert.DoesNotContain('\u0001', snippet);
        Assert.DoesNotContain('\u0002', snippet);
    }

    [Fact]
    public async Task Pages_go_newest_first_and_end()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await fixture.IngestAsync(channel, $"p-{i}", $"pager-{i % 2}", $"Order {i}: tracking number please"))["messageId"]!.GetValue<long>());
        }
        await fixture.IngestAsync(channel, "p-x", "pager-x", "Something else entirely");
        using var admin = fixture.App.Http(fixture.AdminToken);

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(admin, "tracking", limit: 2, cursor: cursor);
            var items = page["items"]!.AsArray();
            Assert.InRange(items.Count, 1, 2);
            seen.AddRange(items.Select(i => i!.Id("messageId")));
            cursor = page["nextCursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(ids.AsEnumerable().Reverse(), seen);
    }

    [Theory]
    [InlineData("")]
    [InlineData("q=")]
    [InlineData("q=%20%20%20")]
    [InlineData("q=a%00b")]
    [InlineData("q=%01")]
    [InlineData("q=ok&limit=0")]
    [InlineData("q=ok&limit=51")]
    [InlineData("q=ok&limit=many")]
    [InlineData("q=ok&cursor=not-a-cursor")]
    [InlineData("q=ok&cursor=eDp5")]
    [InlineData("q=ok&cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5OjE=")]
    public async Task Bad_input_is_a_400_problem(string query)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        await (await admin.GetAsync("/api/search?" + query)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_search_text_of_201_characters_is_a_400_and_200_is_fine()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        await (await admin.GetAsync("/api/search?q=" + new string('я', 201))).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Empty((await PageAsync(admin, new string('я', 200)))["items"]!.AsArray());
        // Only websearch syntax, stop words, or symbols: nothing to find, and no error.
        Assert.Empty((await PageAsync(admin, "\"-or- ! & | :* '"))["items"]!.AsArray());
        Assert.Empty((await PageAsync(admin, "the и"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_thread_opens_around_a_message_and_reads_older_and_newer_pages()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var ids = new List<long>();
        long conversation = 0;
        for (var i = 0; i < 70; i++)
        {
            var sent = await fixture.IngestAsync(channel, $"w-{i}", "window", $"message {i}");
            ids.Add(sent["messageId"]!.GetValue<long>());
            conversation = sent["conversationId"]!.GetValue<long>();
        }
        var other = await fixture.IngestAsync(channel, "w-other", "elsewhere", "another conversation");
        using var admin = fixture.App.Http(fixture.AdminToken);

        var window = await (await admin.GetAsync($"/api/conversations/{conversation}/messages?around={ids[20]}&limit=10")).OkJsonAsync();
        var got = window["items"]!.AsArray().Select(m => m!.Id()).ToList();
        Assert.Equal(ids.GetRange(16, 10).AsEnumerable().Reverse(), got);
        var newer = await (await admin.GetAsync($"/api/conversations/{conversation}/messages?after={window["newerCursor"]}&limit=10")).OkJsonAsync();
        Assert.Equal(ids.GetRange(26, 10).AsEnumerable().Reverse(), newer["items"]!.AsArray().Select(m => m!.Id()));
        var older = await (await admin.GetAsync($"/api/conversations/{conversation}/messages?cursor={window["nextCursor"]}&limit=10")).OkJsonAsync();
        Assert.Equal(ids.GetRange(6, 10).AsEnumerable().Reverse(), older["items"]!.AsArray().Select(m => m!.Id()));

        var last = await (await admin.GetAsync($"/api/conversations/{conversation}/messages?around={ids[69]}&limit=10")).OkJsonAsync();
        Assert.Null(last["newerCursor"]);
        await (await admin.GetAsync($"/api/conversations/{conversation}/messages?around={other["messageId"]}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/conversations/{conversation}/messages?after=nope")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    private static string Snippet(JsonObject hit) => hit["snippet"]!.GetValue<string>();

    private static async Task<JsonObject> PageAsync(HttpClient http, string q, int? limit = null, string? cursor = null)
    {
        var url = new StringBuilder("/api/search?q=").Append(Uri.EscapeDataString(q));
        if (limit is not null)
        {
            url.Append("&limit=").Append(limit);
        }
        if (cursor is not null)
        {
            url.Append("&cursor=").Append(Uri.EscapeDataString(cursor));
        }
        return await (await http.GetAsync(url.ToString())).OkJsonAsync();
    }

    private static async Task<List<JsonObject>> HitsAsync(HttpClient http, string q) =>
        (await PageAsync(http, q))["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
}
