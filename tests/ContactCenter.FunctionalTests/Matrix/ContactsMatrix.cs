using System.Text;
using Dapper;
using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>
/// The rows of contacts, companies and CSV import (issue #17) in <see cref="RouteMatrix"/>. A contact is seen through one
/// of its conversations, leads or deals; a company through one of its contacts or deals; an import is its importer's
/// alone (staff included: to everyone else it does not exist).
/// </summary>
public static class ContactsMatrix
{
    private const string TakenContact = "the assigned manager's contact";
    private const string OpenContact = "an open conversation's contact";
    private const string TakenCompany = "a company (made by an admin) of the assigned manager's contact";
    private const string OpenCompany = "a company (made by an admin) of an open conversation's contact";
    private const string MineImport = "an import of the assigned manager";

    public static readonly IReadOnlyList<RouteRow> Rows =
    [
        Row("GET", "/api/contacts/", Signed, _ => Url("/api/contacts?q=customer")),
        Row("POST", "/api/contacts/", Signed, c => Send("/api/contacts", new { name = "Matrix " + c.Unique, email = $"mx-{c.Unique}@example.com" })),
        .. Sub("conversations"),
        .. Sub("deals"),
        .. Sub("leads"),
        .. Sub("timeline"),
        Row("GET", "/api/companies/", Signed, _ => Url("/api/companies?q=matrix")),
        Row("POST", "/api/companies/", Signed, c => Send("/api/companies", new { name = "Matrix Ltd " + c.Unique })),
        Row("GET", "/api/companies/{id:long}", Owner, async c => new Call($"/api/companies/{await CompanyAsync(c, taken: true)}"), TakenCompany),
        Row("GET", "/api/companies/{id:long}", Members, async c => new Call($"/api/companies/{await CompanyAsync(c, taken: false)}"), OpenCompany),
        Row("PATCH", "/api/companies/{id:long}", Owner, async c => new Call($"/api/companies/{await CompanyAsync(c, taken: true)}", new { website = "https://example.com" }, Method: "PATCH"),
            TakenCompany),
        Row("PATCH", "/api/companies/{id:long}", Members, async c => new Call($"/api/companies/{await CompanyAsync(c, taken: false)}", new { website = "https://example.com" }, Method: "PATCH"),
            OpenCompany),
        Row("POST", "/api/imports/", Signed, _ => Task.FromResult(new Call("/api/imports", Content: () => Csv(withFields: true)))),
        Row("POST", "/api/imports/preview", Signed, _ => Task.FromResult(new Call("/api/imports/preview", Content: () => Csv(withFields: false)))),
        Row("GET", "/api/imports/{id:long}", Personal, async c => new Call($"/api/imports/{await ImportAsync(c)}"), MineImport),
    ];

    private static IEnumerable<RouteRow> Sub(string part) =>
    [
        Row("GET", "/api/contacts/{id:long}/" + part, Owner, async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: true)}/{part}"), TakenContact),
        Row("GET", "/api/contacts/{id:long}/" + part, Members, async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: false)}/{part}"), OpenContact),
    ];

    private static RouteRow Row(string method, string pattern, Expect expect, Func<Cell, Task<Call>> build, string @case = "") => new(method, pattern, expect, build, @case);

    private static Task<Call> Url(string url) => Task.FromResult(new Call(url));

    private static Task<Call> Send(string url, object body) => Task.FromResult(new Call(url, body));

    private static MultipartFormDataContent Csv(bool withFields)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("name,email\nMatrix Person,matrix-person@example.com\n")), "file", "matrix.csv");
        if (withFields)
        {
            form.Add(new StringContent("contact"), "entity");
            form.Add(new StringContent("""{"name":0,"email":"email"}"""), "map");
        }
        return form;
    }

    /// <summary>A fresh company, made by the admin, of a fresh contact of the scenario's channel.</summary>
    private static async Task<long> CompanyAsync(Cell c, bool taken)
    {
        var contact = await c.S.FreshContactAsync(taken);
        await using var db = c.S.Fixture.Db();
        var id = await db.ExecuteScalarAsync<long>("insert into companies (name, created_by) values (@name, @admin) returning id",
            new { name = "Matrix company " + c.Unique, admin = c.S.UserIds[Role.Admin] });
        await db.ExecuteAsync("update contacts set company_id = @id where id = @contact", new { id, contact });
        return id;
    }

    private static async Task<long> ImportAsync(Cell c)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>("""
            insert into imports (user_id, entity, status, file_name, content, delimiter, has_header, column_map, total)
            values (@user, 'contact', 'done', 'matrix.csv', '', ',', true, '{"name":0}', 0) returning id
            """, new { user = c.S.UserIds[Role.Assigned] });
    }
}
