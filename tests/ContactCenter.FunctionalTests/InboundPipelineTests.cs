using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

public sealed class InboundPipelineTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Duplicate_delivery_is_stored_once()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var body = AppFixture.InboundBody("msg-1", "customer-1", "Привет! 👋 Is this available?", "Иван");

        var first = await fixture.PostInboundAsync(channel, body);
        var second = await fixture.PostInboundAsync(channel, body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var a = await first.Content.ReadFromJsonAsync<JsonObject>();
        var b = await second.Content.ReadFromJsonAsync<JsonObject>();
        Assert.False(a!["duplicate"]!.GetValue<bool>());
        Assert.True(b!["duplicate"]!.GetValue<bool>());
        Assert.Equal(a["messageId"]!.GetValue<long>(), b["messageId"]!.GetValue<long>());
        Assert.Equal(1, await fixture.CountAsync("messages"));
        Assert.Equal(1, await fixture.CountAsync("timeline_entries where type = 'message'"));
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select inbound_count from conversations"));
        Assert.Equal("Привет! 👋 Is this available?", await db.ExecuteScalarAsync<string>("select text from messages"));
    }

    [Fact]
    public async Task Fifty_concurrent_first_messages_from_one_new_contact_make_one_contact_conversation_and_lead()
    {
        var channel = await fixture.CreateApiChannelAsync();

        var responses = await Task.WhenAll(Enumerable.Range(1, 50).Select(i =>
            fixture.PostInboundAsync(channel, AppFixture.InboundBody($"race-{i}", "racer", $"message {i}", "Racer"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(1, await fixture.CountAsync("contacts"));
        Assert.Equal(1, await fixture.CountAsync("contact_identities"));
        Assert.Equal(1, await fixture.CountAsync("conversations"));
        Assert.Equal(1, await fixture.CountAsync("leads"));
        Assert.Equal(50, await fixture.CountAsync("messages"));
        await using var db = fixture.Db();
        Assert.Equal(50, await db.ExecuteScalarAsync<long>("select inbound_count from conversations"));
    }

    [Fact]
    public async Task A_first_message_opens_a_lead_in_classic_mode_and_a_deal_in_the_first_stage_in_simple_mode()
    {
        var channel = await fixture.CreateApiChannelAsync();
        await fixture.IngestAsync(channel, "c-1", "classic-customer", "hello");
        await using var db = fixture.Db();
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from conversations where lead_id is not null and deal_id is null"));

        await db.ExecuteAsync("update app_settings set value = '{\"mode\": \"simple\"}' where key = 'crm'");
        await fixture.IngestAsync(channel, "s-1", "simple-customer", "hello");

        var deal = await db.QuerySingleAsync<(long StageId, string Stage)>("""
            select d.stage_id, s.name from conversations c join deals d on d.id = c.deal_id join stages s on s.id = d.stage_id
            join contact_identities i on i.contact_id = c.contact_id where i.address = 'simple-customer'
            """);
        var firstStage = await db.ExecuteScalarAsync<long>("select s.id from stages s join pipelines p on p.id = s.pipeline_id where p.is_default order by s.sort limit 1");
        Assert.Equal(firstStage, deal.StageId);
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("select count(*) from timeline_entries where deal_id is not null and type = 'message'"));
    }

    [Fact]
    public async Task A_returning_contact_joins_the_same_conversation_and_a_resolved_one_reopens()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var first = await fixture.IngestAsync(channel, "r-1", "returning", "first");
        await using var db = fixture.Db();
        await db.ExecuteAsync("update conversations set status = 'resolved', waiting_since = null");

        var second = await fixture.IngestAsync(channel, "r-2", "returning", "second");

        Assert.Equal(first["conversationId"]!.GetValue<long>(), second["conversationId"]!.GetValue<long>());
        var (status, waiting) = await db.QuerySingleAsync<(string, DateTime?)>("select status, waiting_since from conversations");
        Assert.Equal("open", status);
        Assert.NotNull(waiting);
        Assert.Equal(1, await fixture.CountAsync("leads"));
    }

    [Fact]
    public async Task A_contact_is_matched_by_email_across_identities()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var other = await fixture.CreateApiChannelAsync(name: "Other");
        await fixture.PostInboundAsync(channel, AppFixture.InboundBody("e-1", "crm-42", "hi", "Olga", "olga@example.com"));
        await fixture.PostInboundAsync(other, AppFixture.InboundBody("e-2", "shop-7", "hi again", "Olga", "OLGA@example.com"));

        Assert.Equal(1, await fixture.CountAsync("contacts"));
        Assert.Equal(2, await fixture.CountAsync("contact_identities"));
        Assert.Equal(2, await fixture.CountAsync("conversations"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sha256=00")]
    [InlineData("sha256=zz-not-hex")]
    [InlineData("md5=abc")]
    public async Task A_bad_or_missing_signature_is_401_and_stores_nothing(string? signature)
    {
        var channel = await fixture.CreateApiChannelAsync();
        var response = signature is null
            ? await PostUnsignedAsync(channel)
            : await fixture.PostInboundAsync(channel, AppFixture.InboundBody("x-1", "c", "hi"), signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_signature_made_with_another_secret_is_refused()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var body = AppFixture.InboundBody("x-2", "c", "hi");
        var forged = ContactCenter.Connectors.Api.ApiSignature.Compute("some-other-secret-0000", System.Text.Encoding.UTF8.GetBytes(body));

        var response = await fixture.PostInboundAsync(channel, body, forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Theory]
    [InlineData("{not json", HttpStatusCode.BadRequest)]
    [InlineData("[1,2,3]", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"a\",\"text\":\"no contact\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"a\",\"contact\":{\"externalId\":\"c\"},\"text\":\"\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"contact\":{\"externalId\":\"c\"},\"text\":\"no id\"}", HttpStatusCode.BadRequest)]
    // Contact details that are not what they say (the contact was named "not an email" from it).
    [InlineData("{\"externalId\":\"a\",\"contact\":{\"externalId\":\"c\",\"email\":\"not an email\"},\"text\":\"hi\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"a\",\"contact\":{\"externalId\":\"c\",\"phone\":\"abc\"},\"text\":\"hi\"}", HttpStatusCode.BadRequest)]
    // A member named twice (the last one won): at the top, inside the contact, and in another case.
    [InlineData("{\"externalId\":\"a\",\"contact\":{\"externalId\":\"c\"},\"text\":\"hi\",\"text\":\"bye\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"a\",\"contact\":{\"externalId\":\"c\",\"externalId\":\"d\"},\"text\":\"hi\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"externalId\":\"a\",\"ExternalId\":\"b\",\"contact\":{\"externalId\":\"c\"},\"text\":\"hi\"}", HttpStatusCode.BadRequest)]
    public async Task Malformed_or_incomplete_bodies_are_400_and_store_nothing(string body, HttpStatusCode expected)
    {
        var channel = await fixture.CreateApiChannelAsync();

        var response = await fixture.PostInboundAsync(channel, body);

        Assert.Equal(expected, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.False(string.IsNullOrEmpty(problem!["detail"]?.GetValue<string>()));
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    [Fact]
    public async Task A_body_naming_a_member_twice_is_told_which_one()
    {
        var channel = await fixture.CreateApiChannelAsync();

        var response = await fixture.PostInboundAsync(channel, """{"externalId":"twice-1","contact":{"externalId":"c","name":"Анна","Name":"Boris"},"text":"hi"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("The request body names $.contact.Name twice.", problem!["detail"]?.GetValue<string>());
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_long_text_is_stored_whole_and_a_typed_phone_is_kept_in_international_form()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var text = string.Concat(Enumerable.Repeat("Длинное письмо клиента. ", 1_500)); // 36,000 characters: was a 400 over 20,000
        var body = $$"""{"externalId":"long-1","contact":{"externalId":"c-long","email":" ann@example.com ","phone":"+7 (916) 123-45-67"},"text":{{System.Text.Json.JsonSerializer.Serialize(text)}}}""";

        var response = await fixture.PostInboundAsync(channel, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = fixture.Db();
        Assert.Equal(text, await db.ExecuteScalarAsync<string>("select text from messages where external_id like '%long-1'"));
        var contact = await db.QuerySingleAsync<(string Email, string Phone)>("select email, phone from contacts");
        Assert.Equal(("ann@example.com", "+79161234567"), contact);

        // A national number (no country to read it by) is kept as the integrator's system wrote it, not refused.
        var national = """{"externalId":"long-2","contact":{"externalId":"c-national","phone":"8 (916) 765-43-21 доб. 12"},"text":"hi"}""";
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.PostInboundAsync(channel, national)).StatusCode);
        Assert.Equal("8 (916) 765-43-21 доб. 12", await db.ExecuteScalarAsync<string>("select phone from contacts where phone like '8 %'"));
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_413_and_stores_nothing()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var body = AppFixture.InboundBody("big", "c", new string('a', 1_100_000));

        var response = await fixture.PostInboundAsync(channel, body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task A_chunked_json_body_over_one_megabyte_to_a_managers_route_is_413()
    {
        using var http = fixture.App.Http(fixture.AdminToken);
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("{\"text\":\"" + new string('a', 1_200_000) + "\"}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations/1/messages") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    [Fact]
    public async Task An_unknown_channel_is_404()
    {
        var response = await fixture.PostInboundAsync(new AppFixture.ApiChannel(999_999, "whatever-secret-000"), AppFixture.InboundBody("a", "b", "c"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_disabled_channel_refuses_with_403()
    {
        var channel = await fixture.CreateApiChannelAsync();
        using var http = fixture.App.Http(fixture.AdminToken);
        (await http.PatchAsJsonAsync($"/api/channels/{channel.Id}", new { enabled = false })).EnsureSuccessStatusCode();

        var response = await fixture.PostInboundAsync(channel, AppFixture.InboundBody("d-1", "c", "hi"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await fixture.CountAsync("messages"));
    }

    private async Task<HttpResponseMessage> PostUnsignedAsync(AppFixture.ApiChannel channel)
    {
        using var http = fixture.App.Http();
        return await http.PostAsync($"/api/inbound/{channel.Id}",
            new StringContent(AppFixture.InboundBody("x-1", "c", "hi"), System.Text.Encoding.UTF8, "application/json"));
    }
}
