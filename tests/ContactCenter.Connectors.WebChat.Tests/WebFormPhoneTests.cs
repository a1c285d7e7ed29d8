using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dapper;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>The app of an installation in Russia (`Crm:PhoneRegion` = RU), where people write phone numbers as 8 (916) ...</summary>
public sealed class RussianInstallationFixture : WebChatFixture
{
    protected override IDictionary<string, string?> Limits() => new Dictionary<string, string?>(base.Limits()) { ["Crm:PhoneRegion"] = "RU" };
}

/// <summary>
/// A phone typed into a web form in the installation's national form is stored in E.164, like one typed into the app:
/// kept as its bare digits ("89161234567"), it matched no customer (no possible duplicate) and could not be called or texted.
/// </summary>
public sealed class WebFormPhoneTests(RussianInstallationFixture fixture) : IClassFixture<RussianInstallationFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_phone_in_the_national_form_is_stored_in_international_form_and_points_to_the_customer_who_has_it()
    {
        long customerId;
        await using (var seed = fixture.Db())
        {
            customerId = await seed.ExecuteScalarAsync<long>("insert into contacts (name, phone) values ('Пётр Сидоров', '+79161234567') returning id");
        }
        var form = await fixture.CreateChannelAsync("webform", new JsonObject
        {
            ["allowedOrigins"] = new JsonArray(WebChatFixture.SiteOrigin),
            ["fields"] = new JsonArray("name", "phone", "message"),
        });
        using var http = fixture.Site();

        var response = await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { name = "Пётр", phone = "8 (916) 123-45-67", message = "Перезвоните" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var leadId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["leadId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var contact = await db.QuerySingleAsync<(long Id, string Phone, long? PossibleDuplicateOf)>(
            "select c.id, c.phone, c.possible_duplicate_of from leads l join contacts c on c.id = l.contact_id where l.id = @leadId", new { leadId });
        Assert.NotEqual(customerId, contact.Id);
        Assert.Equal(("+79161234567", customerId), (contact.Phone, contact.PossibleDuplicateOf));
        Assert.Equal("Name: Пётр\nPhone: +79161234567\nMessage: Перезвоните", await db.ExecuteScalarAsync<string>("select text from messages"));
    }
}
