using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// CSV import of contacts and leads (issue #17): 202 and a background job, dedupe by email/phone, an exact row report,
/// progress pushed to the importer only, Excel's windows-1251 with `;`, and bad uploads refused before anything is stored.
/// </summary>
public sealed class ImportTests(AppFixture fixture) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static MultipartFormDataContent Form(byte[] file, string? entity = "contact", string? map = """{"name":0,"email":1,"phone":2,"company":3}""",
        string? hasHeader = null)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(file), "file", "people.csv");
        if (entity is not null)
        {
            form.Add(new StringContent(entity), "entity");
        }
        if (map is not null)
        {
            form.Add(new StringContent(map), "map");
        }
        if (hasHeader is not null)
        {
            form.Add(new StringContent(hasHeader), "hasHeader");
        }
        return form;
    }

    /// <summary>Starts an import as <paramref name="token"/> and waits for the `importProgress` push that says it is done.</summary>
    private async Task<JsonObject> ImportAsync(string token, MultipartFormDataContent form)
    {
        await using var hub = await fixture.ConnectHubAsync(token);
        var events = new HubRecorder(hub);
        using var http = fixture.App.Http(token);
        var accepted = await (await http.PostAsync("/api/imports", form)).OkJsonAsync(HttpStatusCode.Accepted);
        var id = accepted.Id();
        await events.WaitForAsync("importProgress", p => p.Id() == id && p["status"]!.GetValue<string>() == "done", TimeSpan.FromSeconds(120));
        return await (await http.GetAsync($"/api/imports/{id}")).OkJsonAsync();
    }

    [Fact]
    public async Task A_thousand_rows_with_duplicates_and_errors_give_an_exact_report()
    {
        // Per ten rows: six new people (one with a phone, one at a company, one with a quoted comma), a duplicate by phone
        // written another way, a duplicate by email in other case, a row with nothing to identify, and a bad email.
        var csv = new StringBuilder("Name,Email,Phone,Company\n");
        var expected = new Dictionary<int, string>();
        for (var i = 0; i < 1000; i++)
        {
            var (g, k) = (i / 10, i % 10);
            csv.Append(k switch
            {
                0 => $"Person {i},p{i}@example.com,+44 20 7946 0{g:000},\n",
                1 => $"Person {i},p{i}@example.com,,Acme\n",
                2 => $"\"Smith, John {i}\",p{i}@example.com,,\n",
                < 6 => $"Person {i},p{i}@example.com,,\n",
                6 => $"Phone twin {i},,0044 (20) 7946-0{g:000},\n",
                7 => $",P{i - 7}@EXAMPLE.COM,,\n",
                8 => $",,,Acme\n",
                _ => $"Bad {i},not-an-email-{i},,\n",
            });
            expected[i + 2] = k switch { < 6 => "created", 6 or 7 => "merged", _ => "refused" };
        }

        var report = await ImportAsync(fixture.AdminToken, Form(Encoding.UTF8.GetBytes(csv.ToString())));

        Assert.Equal("done", report["status"]!.GetValue<string>());
        Assert.Equal(1000, report["total"]!.GetValue<int>());
        Assert.Equal((600, 200, 200), (report["created"]!.GetValue<int>(), report["merged"]!.GetValue<int>(), report["refused"]!.GetValue<int>()));
        var rows = report["rows"]!.AsArray();
        Assert.Equal(expected.OrderBy(e => e.Key).Select(e => (e.Key, e.Value)),
            rows.Select(r => (r!["row"]!.GetValue<int>(), r["outcome"]!.GetValue<string>())));
        Assert.All(rows.Where(r => r!["outcome"]!.GetValue<string>() == "refused"), r => Assert.False(string.IsNullOrEmpty(r!["error"]?.GetValue<string>())));
        Assert.Contains("not-an-email-9", rows.Single(r => r!["row"]!.GetValue<int>() == 11)!["error"]!.GetValue<string>());
        await using var db = fixture.Db();
        Assert.Equal(600, await fixture.CountAsync("contacts"));
        Assert.Equal(1, await fixture.CountAsync("companies")); // "Acme" made once, then found
        var person0 = await db.QuerySingleAsync<(string Name, string Email, string Phone)>("select name, email, phone from contacts where email = 'p0@example.com'");
        Assert.Equal(("Person 0", "p0@example.com", "+442079460000"), person0);
        Assert.Equal("Smith, John 2", await db.ExecuteScalarAsync<string>("select name from contacts where email = 'p2@example.com'"));
        Assert.Equal(100, await db.ExecuteScalarAsync<long>("select count(*) from contacts where company_id is not null"));
    }

    [Fact]
    public async Task A_windows_1251_file_from_Excel_with_semicolons_is_read_and_leads_are_opened()
    {
        var cp1251 = CodePagesEncodingProvider.Instance.GetEncoding(1251)!;
        var file = cp1251.GetBytes("ФИО;Почта;Телефон;Сделка\r\nИван Петров;ivan@example.ru;+7 916 123-45-67;Поставка труб\r\nМария Ёлкина;maria@example.ru;;\r\n");

        var report = await ImportAsync(fixture.AdminToken, Form(file, entity: "lead", map: """{"name":"фио","email":"Почта","phone":2,"title":"Сделка"}"""));

        Assert.Equal((2, 0), (report["created"]!.GetValue<int>(), report["refused"]!.GetValue<int>()));
        await using var db = fixture.Db();
        var people = (await db.QueryAsync<(string Name, string? Phone)>("select name, phone from contacts order by id")).ToList();
        Assert.Equal([("Иван Петров", (string?)"+79161234567"), ("Мария Ёлкина", null)], people);
        var leads = (await db.QueryAsync<string>("select title from leads order by id")).ToList();
        Assert.Equal(["Поставка труб", "Import: Мария Ёлкина"], leads);
    }

    [Fact]
    public async Task A_manager_imports_into_what_they_see_only_and_others_cannot_read_the_report()
    {
        var channel = await fixture.CreateApiChannelAsync();
        var conversation = (await fixture.IngestAsync(channel, "m-1", "someone", "hi", "Someone Else"))["conversationId"]!.GetValue<long>();
        await using var db = fixture.Db();
        var hidden = await db.ExecuteScalarAsync<long>("select contact_id from conversations where id = @conversation", new { conversation });
        await db.ExecuteAsync("update contacts set email = 'taken@example.com' where id = @hidden", new { hidden });
        var manager = await fixture.CreateUserAsync("importer", "manager");
        var other = await fixture.CreateUserAsync("other", "manager");
        var otherHub = await fixture.ConnectHubAsync(other.Token);
        var otherEvents = new HubRecorder(otherHub);

        var report = await ImportAsync(manager.Token, Form("name,email\nMine,taken@example.com\n"u8.ToArray(), map: """{"name":0,"email":1}"""));

        // The manager cannot see the contact with that email: the row makes a new contact of theirs, kept as a possible duplicate.
        Assert.Equal("created", report["rows"]![0]!["outcome"]!.GetValue<string>());
        var created = report["rows"]![0]!["contactId"]!.GetValue<long>();
        Assert.NotEqual(hidden, created);
        Assert.Equal(hidden, await db.ExecuteScalarAsync<long?>("select possible_duplicate_of from contacts where id = @created", new { created }));
        Assert.Equal("Someone Else", await db.ExecuteScalarAsync<string>("select name from contacts where id = @hidden", new { hidden }));
        using var http = fixture.App.Http(other.Token);
        using var admin = fixture.App.Http(fixture.AdminToken);
        await (await http.GetAsync($"/api/imports/{report.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/imports/{report.Id()}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(otherEvents.Of("importProgress"));
        await otherHub.DisposeAsync();
    }

    /// <summary>
    /// The file of each case as text (sent as UTF-8), or the name of a generated one: xunit serializes theory data at
    /// discovery element by element, and the 5 MB byte array alone held up discovering this assembly for minutes.
    /// </summary>
    public static TheoryData<string, string, string?, string?, string?, HttpStatusCode> BadUploads => new()
    {
        { "no entity", "name\nA\n", null, """{"name":0}""", null, HttpStatusCode.BadRequest },
        { "unknown entity", "name\nA\n", "deal", """{"name":0}""", null, HttpStatusCode.BadRequest },
        { "no map", "name\nA\n", "contact", null, null, HttpStatusCode.BadRequest },
        { "map not JSON", "name\nA\n", "contact", "name=0", null, HttpStatusCode.BadRequest },
        { "unknown field", "name\nA\n", "contact", """{"name":0,"salary":0}""", null, HttpStatusCode.BadRequest },
        { "a field named twice", "name\nA\n", "contact", """{"name":0,"name":1}""", null, HttpStatusCode.BadRequest },
        { "column out of range", "name\nA\n", "contact", """{"name":3}""", null, HttpStatusCode.BadRequest },
        { "header not found", "name\nA\n", "contact", """{"name":"Full name"}""", null, HttpStatusCode.BadRequest },
        { "header name without header", "name\nA\n", "contact", """{"name":"name"}""", "false", HttpStatusCode.BadRequest },
        { "nothing identifying", "name,company\nA,B\n", "contact", """{"company":1}""", null, HttpStatusCode.BadRequest },
        { "header only", "name\n", "contact", """{"name":0}""", null, HttpStatusCode.BadRequest },
        { "bad hasHeader", "name\nA\n", "contact", """{"name":0}""", "maybe", HttpStatusCode.BadRequest },
        { "too many rows", TooManyRows, "contact", """{"name":0}""", null, HttpStatusCode.BadRequest },
        { "over 5 MB", OverFiveMegabytes, "contact", """{"name":0}""", null, HttpStatusCode.RequestEntityTooLarge },
    };

    private const string TooManyRows = "<a header and 20,001 rows>";
    private const string OverFiveMegabytes = "<5 MB + 1 byte of zeros>";

    private static byte[] BadUploadFile(string file) => file switch
    {
        TooManyRows => Encoding.UTF8.GetBytes("name\n" + string.Concat(Enumerable.Repeat("A\n", 20_001))),
        OverFiveMegabytes => new byte[5 * 1024 * 1024 + 1],
        _ => Encoding.UTF8.GetBytes(file),
    };

    [Theory]
    [MemberData(nameof(BadUploads))]
    public async Task A_bad_upload_is_refused_with_a_problem_and_stores_nothing(string why, string file, string? entity, string? map, string? hasHeader, HttpStatusCode status)
    {
        using var admin = fixture.App.Http(fixture.AdminToken);

        var response = await admin.PostAsync("/api/imports", Form(BadUploadFile(file), entity, map, hasHeader));

        Assert.True(response.StatusCode == status, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await response.ProblemAsync(status);
        Assert.Equal(0, await fixture.CountAsync("imports"));
    }

    [Fact]
    public async Task A_request_without_a_file_is_a_400()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var form = new MultipartFormDataContent { { new StringContent("contact"), "entity" } };

        await (await admin.PostAsync("/api/imports", form)).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostAsJsonAsync("/api/imports", new { entity = "contact" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await fixture.CountAsync("imports"));
    }

    [Fact]
    public async Task The_preview_shows_how_the_server_reads_the_file()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        var file = CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetBytes("Имя;Почта\r\nАнна;anna@example.ru\r\n");
        var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", "people.csv" } };

        var preview = await (await admin.PostAsync("/api/imports/preview", form)).OkJsonAsync();

        Assert.Equal("windows-1251", preview["encoding"]!.GetValue<string>());
        Assert.Equal(";", preview["delimiter"]!.GetValue<string>());
        Assert.Equal(2, preview["records"]!.GetValue<int>());
        Assert.Equal("Анна", preview["rows"]![1]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Custom_field_columns_are_checked_like_the_api_and_a_bad_value_refuses_only_its_row()
    {
        using var admin = fixture.App.Http(fixture.AdminToken);
        await (await admin.PostAsJsonAsync("/api/custom-fields", new { entity = "contact", key = "budget", label = "Budget", type = "number" })).OkJsonAsync(HttpStatusCode.Created);
        await (await admin.PostAsJsonAsync("/api/custom-fields", new { entity = "lead", key = "via", label = "Via", type = "list", options = new[] { "web", "fair" } }))
            .OkJsonAsync(HttpStatusCode.Created);
        var file = Encoding.UTF8.GetBytes("Name,Email,Budget,Via\nAnn,ann@example.com,1500,web\nBob,bob@example.com,lots,fair\nCid,cid@example.com,,bogus\nDee,dee@example.com,,\n");
        const string map = """{"name":0,"email":1,"field.budget":"Budget","field.via":3}""";

        // A map naming a field that is not defined is refused before anything is stored.
        var unknown = await admin.PostAsync("/api/imports", Form(file, entity: "lead", map: """{"name":0,"field.nope":2}"""));
        await unknown.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("field.nope", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(0, await fixture.CountAsync("imports"));

        var report = await ImportAsync(fixture.AdminToken, Form(file, entity: "lead", map: map));

        var rows = report["rows"]!.AsArray().ToDictionary(r => r!["row"]!.GetValue<int>(), r => (r!["outcome"]!.GetValue<string>(), r["error"]?.GetValue<string>()));
        Assert.Equal(("created", (string?)null), rows[2]);
        Assert.Equal("refused", rows[3].Item1);
        Assert.Contains("fields.budget", rows[3].Item2);
        Assert.Equal("refused", rows[4].Item1);
        Assert.Contains("fields.via", rows[4].Item2);
        Assert.Equal(("created", (string?)null), rows[5]);
        await using var db = fixture.Db();
        var stored = (await db.QueryAsync<(string Email, string ContactFields, string LeadFields)>("""
            select ct.email, ct.fields::text, l.fields::text from contacts ct join leads l on l.contact_id = ct.id order by ct.id
            """)).ToList();
        Assert.Equal([("ann@example.com", """{"budget": 1500}""", """{"via": "web"}"""), ("dee@example.com", "{}", "{}")], stored);
    }
}
