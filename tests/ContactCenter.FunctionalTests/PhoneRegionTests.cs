using System.Net;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>The app of an installation in Russia (`Crm:PhoneRegion` = RU).</summary>
public sealed class RussianPhonesFixture : AppFixture
{
    protected override IDictionary<string, string?> ExtraSettings()
    {
        var settings = base.ExtraSettings();
        settings["Crm:PhoneRegion"] = "RU";
        return settings;
    }
}

/// <summary>
/// A Russian manager types "8 (916) 123-45-67", the way numbers are written there: with the installation's region set,
/// contacts, new deals' contacts, companies and the CSV import read it as +79161234567 (an outside review got a 400
/// asking for the international form); without the region only the international form is read, as before.
/// </summary>
public sealed class PhoneRegionTests(RussianPhonesFixture fixture) : IClassFixture<RussianPhonesFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_national_number_is_stored_in_its_international_form()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);

        var contact = await (await admin.PostJsonAsync("/api/contacts", new { name = "Иван", phone = "8 (916) 123-45-67" })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("+79161234567", contact["phone"]!.GetValue<string>());
        var deal = await (await admin.PostJsonAsync("/api/deals", new { title = "Окна", contact = new { name = "Пётр", phone = "8 916 765 43 21" } }))
            .OkJsonAsync(HttpStatusCode.Created);
        var dealContact = await (await admin.GetAsync($"/api/contacts/{deal["contact"]!.Id()}")).OkJsonAsync();
        Assert.Equal("+79167654321", dealContact["phone"]!.GetValue<string>());
        var company = await (await admin.PostJsonAsync("/api/companies", new { name = "ООО Ромашка", phone = "8 (495) 123-45-67" })).OkJsonAsync(HttpStatusCode.Created);
        Assert.Equal("+74951234567", company["phone"]!.GetValue<string>());

        // Still refused: what is no number in Russia either.
        await (await admin.PostJsonAsync("/api/contacts", new { name = "Нет", phone = "8 (916) 12" })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_finds_a_contact_by_the_number_typed_in_its_national_form()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var message = await fixture.IngestAsync(channel, "ph-1", "ph-cust", "Перезвоните мне", name: "Анна Звонова");
        await fixture.IngestAsync(channel, "ph-2", "ph-other", "Другой клиент", name: "Олег Другой");
        await using (var db = fixture.Db())
        {
            await Dapper.SqlMapper.ExecuteAsync(db, "update contacts set phone = '+79161234567' where name = 'Анна Звонова'");
            await Dapper.SqlMapper.ExecuteAsync(db, "update contacts set phone = '+79169999999' where name = 'Олег Другой'");
        }
        using var admin = fixture.App.Http(fixture.AdminToken);

        foreach (var typed in new[] { "8(916)1234567", "8 (916) 123-45-67", "+7 916 123-45-67", "916 123" })
        {
            var page = await (await admin.GetAsync($"/api/search?q={Uri.EscapeDataString(typed)}")).OkJsonAsync();
            var hit = Assert.Single(page["items"]!.AsArray());
            Assert.Equal(message["messageId"]!.GetValue<long>(), hit!["messageId"]!.GetValue<long>());
        }
        // Not a whole number: as typed (digits), so "8 916" is not read as +7 916 and finds nobody.
        Assert.Empty((await (await admin.GetAsync($"/api/search?q={Uri.EscapeDataString("8 916")}")).OkJsonAsync())["items"]!.AsArray());
    }
}
