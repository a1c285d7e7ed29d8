using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ContactCenter.Connectors.WebChat.Tests;

/// <summary>
/// A page in Russian (`Accept-Language: ru`) gets the refusals of the widget and the forms in Russian: the field errors
/// too, which the code writes into the errors by field (the coverage test of the table reads only the problem factories),
/// and the sentences that end in a value (the table had only their first part, which never matched a whole sentence).
/// </summary>
public sealed partial class RussianProblemsTests(WebChatFixture fixture) : IClassFixture<WebChatFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Widget_and_form_refusals_are_in_russian_for_a_russian_page_and_store_nothing()
    {
        var chat = await fixture.CreateWebchatAsync();
        var form = await fixture.CreateChannelAsync("webform", new JsonObject
        {
            ["allowedOrigins"] = new JsonArray(WebChatFixture.SiteOrigin),
            ["fields"] = new JsonArray("name", new JsonObject { ["name"] = "email", ["type"] = "email", ["label"] = "Почта" }, "phone"),
        });
        var visitor = await fixture.StartSessionAsync(chat.Key);
        using var http = fixture.Site(visitorToken: visitor.Token);
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ru-RU,ru;q=0.9");

        var profile = await ProblemAsync(await http.PostAsJsonAsync("/api/widget/profile", new { email = "ivan@" }));
        var preChat = await ProblemAsync(await http.PostAsJsonAsync("/api/widget/prechat", new { phone = "8 912" }));
        using var exe = new MultipartFormDataContent { { new ByteArrayContent(new byte[] { 0x4D, 0x5A, 0x90, 0x00 }), "file", "счёт.exe" } };
        var upload = await ProblemAsync(await http.PostAsync("/api/widget/attachments", exe), HttpStatusCode.UnsupportedMediaType);
        var fields = await ProblemAsync(await http.PostAsJsonAsync($"/api/forms/{form.Key}", new { name = "Иван", email = "ivan@@mail.ru", phone = "12" }));
        var unreadable = await ProblemAsync(await http.PostAsync($"/api/forms/{form.Key}", new StringContent("name=%00", null, "application/x-www-form-urlencoded")));

        Assert.Equal("Поле email — некорректный адрес электронной почты.", Error(profile, "email"));
        Assert.StartsWith("Поле phone — некорректный международный номер", Error(preChat, "phone"), StringComparison.Ordinal);
        Assert.StartsWith("Можно отправлять только изображения, PDF, офисные документы и текстовые файлы (.png,", Detail(upload), StringComparison.Ordinal);
        Assert.Equal("Почта — некорректный адрес электронной почты.", Error(fields, "email"));
        Assert.Equal("Phone — некорректный номер телефона.", Error(fields, "phone"));
        Assert.StartsWith("Не удалось прочитать форму: ", Detail(unreadable), StringComparison.Ordinal);
        Assert.Equal(0, await fixture.CountAsync("messages"));
        Assert.Equal(0, await fixture.CountAsync("contacts"));
    }

    private static async Task<JsonObject> ProblemAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.BadRequest)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static string Detail(JsonObject problem) => Russian(problem["detail"]!.GetValue<string>());

    private static string Error(JsonObject problem, string field) => Russian(problem["errors"]![field]![0]!.GetValue<string>());

    private static string Russian(string text)
    {
        Assert.Matches(Cyrillic(), text);
        return text;
    }

    [GeneratedRegex("[а-яё]")]
    private static partial Regex Cyrillic();
}
