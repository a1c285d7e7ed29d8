using System.Security.Claims;
using System.Text.Json;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Core;
using Dapper;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Imports;

/// <summary>
/// CSV import of contacts or leads (issue #17): `POST /api/imports` checks the file and the column map, stores the decoded
/// text and answers 202 `{id}`; a Hangfire job (<see cref="ImportJob"/>) does the rows; `GET /api/imports/{id}` is the
/// report. An import is its importer's: to anyone else it does not exist.
/// </summary>
public static class ImportsApi
{
    public const int MaxBytes = 5 * 1024 * 1024;
    public const int MaxRows = 20_000;

    public static IEndpointRouteBuilder MapImportsApi(this IEndpointRouteBuilder app)
    {
        var imports = app.MapGroup("/api/imports").RequireAuthorization();
        imports.MapPost("/", Start).DisableAntiforgery();
        imports.MapPost("/preview", Preview).DisableAntiforgery();
        imports.MapGet("/{id:long}", Get);
        return app;
    }

    private sealed record Upload(CsvUpload Csv, IFormCollection Form, string FileName);

    /// <summary>Reads the multipart form and decodes its `file` part; the problem to answer when it cannot.</summary>
    private static async Task<(Upload? Upload, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var tooLarge = TypedResults.Problem($"A CSV file may be at most {MaxBytes / (1024 * 1024)} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        if (!request.HasFormContentType)
        {
            return (null, Problems.BadRequest("Send multipart/form-data with the CSV in a part named 'file'."));
        }
        if (request.ContentLength > MaxBytes + (64 * 1024))
        {
            return (null, tooLarge);
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } ? tooLarge : Problems.BadRequest("The upload could not be read."));
        }
        if (form.Files.GetFile("file") is not { Length: > 0 } file)
        {
            return (null, Problems.BadRequest("Send one non-empty CSV file in a part named 'file'."));
        }
        if (file.Length > MaxBytes)
        {
            return (null, tooLarge);
        }
        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, ct);
        }
        return (new Upload(CsvUpload.Decode(bytes), form, FileNames.Clean(file.FileName, "import.csv")), null);
    }

    private static async Task<Results<Ok<ImportPreview>, ProblemHttpResult>> Preview(HttpRequest request, CancellationToken ct)
    {
        var (upload, problem) = await ReadAsync(request, ct);
        if (upload is null)
        {
            return problem!;
        }
        // Counted up to just past the row limit: a 5 MB file of tiny rows is not parsed whole for a preview.
        var records = upload.Csv.Records(MaxRows + 2);
        return TypedResults.Ok(new ImportPreview(upload.Csv.Encoding, upload.Csv.Delimiter.ToString(), records.Count, records.Take(6).ToList()));
    }

    private static async Task<Results<Accepted<ImportAccepted>, ProblemHttpResult, ValidationProblem>> Start(
        HttpRequest request, ClaimsPrincipal principal, NpgsqlDataSource db, IBackgroundJobClient jobs, CancellationToken ct)
    {
        var (upload, problem) = await ReadAsync(request, ct);
        if (upload is null)
        {
            return problem!;
        }
        var entity = upload.Form["entity"].ToString();
        if (entity is not ("contact" or "lead"))
        {
            return CrmHttp.Invalid("entity", "entity is contact or lead.");
        }
        var hasHeaderText = upload.Form["hasHeader"].ToString();
        if (hasHeaderText is not ("" or "true" or "false"))
        {
            return CrmHttp.Invalid("hasHeader", "hasHeader is true (the default) or false.");
        }
        var hasHeader = hasHeaderText != "false";
        var records = upload.Csv.Records(MaxRows + 2);
        var total = records.Count - (hasHeader ? 1 : 0);
        if (total <= 0)
        {
            return CrmHttp.Invalid("file", "The file has no rows to import.");
        }
        if (total > MaxRows)
        {
            return CrmHttp.Invalid("file", $"A file may have at most {MaxRows} rows; split it.");
        }
        ImportFields fields;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            fields = await ImportFields.LoadAsync(connection, entity, ct);
        }
        var (map, error) = ImportColumnMap.Resolve(upload.Form["map"].ToString(), entity, hasHeader ? records[0] : null, records.Max(r => r.Length), fields);
        if (map is null)
        {
            return CrmHttp.Invalid("map", error!);
        }
        var me = CurrentUser.From(principal);
        long id;
        await using (var connection = await db.OpenConnectionAsync(ct))
        {
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                insert into imports (user_id, entity, file_name, content, delimiter, has_header, column_map, total)
                values (@userId, @entity, @fileName, @content, @delimiter, @hasHeader, @map::jsonb, @total) returning id
                """, new
            {
                userId = me.Id, entity, fileName = upload.FileName, content = upload.Csv.Text.Replace("\0", "", StringComparison.Ordinal), delimiter = upload.Csv.Delimiter.ToString(),
                hasHeader, map = JsonSerializer.Serialize(map), total,
            }, cancellationToken: ct));
        }
        jobs.Enqueue<ImportJob>(job => job.RunAsync(id, CancellationToken.None));
        return TypedResults.Accepted($"/api/imports/{id}", new ImportAccepted(id, total));
    }

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Get(long id, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        const string sql = """
            select id, entity, file_name, status, total, created, merged, refused, error, created_at, finished_at from imports where id = @id and user_id = @me;
            select line as row, outcome, error, contact_id, lead_id from import_rows where import_id = @id order by line;
            """;
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id, me = CurrentUser.From(principal).Id }, cancellationToken: ct));
        var head = await grid.ReadSingleOrDefaultAsync<(long Id, string Entity, string FileName, string Status, int Total, int Created, int Merged, int Refused,
            string? Error, DateTime CreatedAt, DateTime? FinishedAt)>();
        if (head.Id == 0)
        {
            return Problems.NotFound("There is no such import.");
        }
        var rows = (await grid.ReadAsync<ImportRowDto>()).ToList();
        return TypedResults.Ok(new ImportReport(head.Id, head.Entity, head.FileName, head.Status, head.Total, head.Created, head.Merged, head.Refused,
            head.Error, head.CreatedAt, head.FinishedAt, rows));
    }
}
