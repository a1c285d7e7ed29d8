using Dapper;
using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>
/// The canned responses' rows of <see cref="RouteMatrix"/>. Each cell works on a fresh response (made straight in the
/// database): a personal one of the assigned manager, or a shared one. Personal means personal: staff get 404 too.
/// </summary>
public static class CannedMatrix
{
    private const string Mine = "the assigned manager's personal response";
    private const string Shared = "a shared response";

    public static readonly IReadOnlyList<RouteRow> Rows =
    [
        Row("GET", "/api/canned-responses/", Signed, _ => Url("/api/canned-responses?q=hello")),
        Row("POST", "/api/canned-responses/", Signed, c => Send("/api/canned-responses", new { shortcut = "mx" + c.Unique, text = "Hello", shared = false }), "personal"),
        Row("POST", "/api/canned-responses/", Staff, c => Send("/api/canned-responses", new { shortcut = "mx" + c.Unique, text = "Hello", shared = true }), "shared"),
        Row("PATCH", "/api/canned-responses/{id:long}", Personal, async c => new Call($"/api/canned-responses/{await FreshAsync(c, shared: false)}", new { title = "Edited" }), Mine),
        Row("PATCH", "/api/canned-responses/{id:long}", Staff, async c => new Call($"/api/canned-responses/{await FreshAsync(c, shared: true)}", new { title = "Edited" }), Shared),
        Row("DELETE", "/api/canned-responses/{id:long}", Personal, async c => new Call($"/api/canned-responses/{await FreshAsync(c, shared: false)}"), Mine),
        Row("DELETE", "/api/canned-responses/{id:long}", Staff, async c => new Call($"/api/canned-responses/{await FreshAsync(c, shared: true)}"), Shared),
        Row("POST", "/api/canned-responses/{id:long}/render", Personal,
            async c => new Call($"/api/canned-responses/{await FreshAsync(c, shared: false)}/render", new { conversationId = c.S.Conversation }), Mine + ", her conversation"),
        Row("POST", "/api/canned-responses/{id:long}/render", Owner,
            async c => new Call($"/api/canned-responses/{await FreshAsync(c, shared: true)}/render", new { conversationId = c.S.Conversation }), Shared + ", the assigned manager's conversation"),
        Row("POST", "/api/canned-responses/{id:long}/render", Members,
            async c => new Call($"/api/canned-responses/{await FreshAsync(c, shared: true)}/render", new { conversationId = c.S.OpenConversation }), Shared + ", channel A's unassigned conversation"),
        Row("POST", "/api/canned-responses/{id:long}/attachments", Personal, async c => Upload($"/api/canned-responses/{await FreshAsync(c, shared: false)}/attachments"), Mine),
        Row("POST", "/api/canned-responses/{id:long}/attachments", Staff, async c => Upload($"/api/canned-responses/{await FreshAsync(c, shared: true)}/attachments"), Shared),
        Row("DELETE", "/api/canned-responses/{id:long}/attachments/{fileId:long}", Personal, async c => await FileAsync(c, shared: false), Mine),
        Row("DELETE", "/api/canned-responses/{id:long}/attachments/{fileId:long}", Staff, async c => await FileAsync(c, shared: true), Shared),
    ];

    private static RouteRow Row(string method, string pattern, Expect expect, Func<Cell, Task<Call>> build, string @case = "") => new(method, pattern, expect, build, @case);

    private static Task<Call> Url(string url) => Task.FromResult(new Call(url));

    private static Task<Call> Send(string url, object body) => Task.FromResult(new Call(url, body));

    private static Call Upload(string url) => new(url, Content: () =>
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent("matrix"u8.ToArray()), "file", "matrix.txt");
        return form;
    });

    private static async Task<long> FreshAsync(Cell c, bool shared)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>("""
            insert into canned_responses (owner_id, shortcut, title, text) values (@owner, @shortcut, 'Matrix', 'Hello {{contact.name}}') returning id
            """, new { owner = shared ? (long?)null : c.S.UserIds[Role.Assigned], shortcut = "mx" + c.Unique });
    }

    /// <summary>A fresh response with one file row (its stored file need not exist: removing a missing file is not an error).</summary>
    private static async Task<Call> FileAsync(Cell c, bool shared)
    {
        var id = await FreshAsync(c, shared);
        await using var db = c.S.Fixture.Db();
        var fileId = await db.ExecuteScalarAsync<long>("""
            insert into canned_response_files (canned_response_id, file_name, content_type, size, storage_path)
            values (@id, 'matrix.txt', 'text/plain', 6, @path) returning id
            """, new { id, path = "00/matrix-" + c.Unique });
        return new Call($"/api/canned-responses/{id}/attachments/{fileId}");
    }
}
