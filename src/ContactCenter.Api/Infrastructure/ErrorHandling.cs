using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Npgsql;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Turns exceptions into problem details: bad bodies are the client's (400/413), an unreachable database
/// is 503 with Retry-After (the caller must retry: nothing was stored), anything else a 500 without internals.
/// </summary>
public sealed partial class ErrorHandling(IProblemDetailsService problems, ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public const int MaxJsonBodyBytes = 1024 * 1024;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = Classify(exception);
        if (exception is PostgresException { SqlState: "22021" or "22P05" })
        {
            // PostgreSQL refused a parameter while binding: with an auto-prepared statement that leaves Npgsql's connection
            // out of step with the server, and the next command on it fails ("unexpected backend message"). Typed bodies,
            // paths and queries refuse NUL before this; whatever else let one through, its pool starts afresh.
            logger.LogWarning("Text PostgreSQL cannot hold reached it for {Method} {Path}; its connection pool is cleared", context.Request.Method, context.Request.Path);
            context.RequestServices.GetService<NpgsqlDataSource>()?.Clear();
        }
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning("Storage unavailable for {Method} {Path}: {Error}", context.Request.Method, context.Request.Path, exception.Message);
            context.Response.Headers.RetryAfter = "5";
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        context.Response.StatusCode = status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Detail = detail },
        };
        // A string above its limit is a validation problem of one field, shaped as the others (`errors` by field).
        if ((exception as InputTooLongException ?? exception.InnerException as InputTooLongException) is { } tooLong)
        {
            problem.ProblemDetails.Title = "One or more validation errors occurred.";
            problem.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [tooLong.Field] = [tooLong.Message] };
        }
        // So is a NUL character in a field.
        else if ((exception as NulCharacterException ?? exception.InnerException as NulCharacterException) is { Field: { } nulField })
        {
            problem.ProblemDetails.Title = "One or more validation errors occurred.";
            problem.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [nulField] = [NulInField] };
        }
        // So is a value of the wrong type in a body that is valid JSON: named by its field, as a form shows it.
        else if (status == 400 && (exception as System.Text.Json.JsonException ?? exception.InnerException as System.Text.Json.JsonException) is { } json
            && WrongTypeField(json) is { } field)
        {
            problem.ProblemDetails.Title = "One or more validation errors occurred.";
            problem.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }
        return await problems.TryWriteAsync(problem);
    }

    public static (int Status, string Detail) Classify(Exception exception) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (413, "The request body is too large."),
        BadHttpRequestException { InnerException: InputTooLongException tooLong } => (400, tooLong.Message),
        InputTooLongException tooLong => (400, tooLong.Message),
        BadHttpRequestException { InnerException: NulCharacterException } or NulCharacterException or BadHttpRequestException { Message: NulInBody }
            => (400, NulInBody),
        // A body whose JSON names a member twice, read as a JsonObject (the typed bodies refuse it while reading).
        ArgumentException when IsDuplicateKey(exception) => (400, "The request body names the same field twice."),
        // A route that reads JSON given another content type (or none).
        InvalidOperationException when exception.Message.Contains("JSON content type", StringComparison.Ordinal)
            => (415, "The request body must be JSON (Content-Type: application/json)."),
        BadHttpRequestException { InnerException: System.Text.Json.JsonException json } => (400, JsonDetail(json)),
        // ASP.NET Core's own words for a missing body name our parameter and suggest a service: say what the client lacks.
        BadHttpRequestException { StatusCode: 400 } bad when bad.Message.Contains("no body was provided", StringComparison.Ordinal)
            || (bad.Message.StartsWith("Required parameter", StringComparison.Ordinal) && bad.Message.EndsWith("from body.", StringComparison.Ordinal))
            => (400, "The request needs a JSON body: an object with the fields to set."),
        // A route or query value of the wrong form: named by its parameter, without .NET's type names.
        BadHttpRequestException { StatusCode: 400 } bad when BindFailure().Match(bad.Message) is { Success: true } m => (400, m.Groups[3].Success
            ? $"The value \"{Clip(m.Groups[3].Value)}\" is not valid for {m.Groups[2].Value}."
            : $"{m.Groups[2].Value} is required."),
        // The app's own refusals (a cursor, a body's content type or size) are whole sentences of the API, so translatable;
        // with the prefix below they reached a Russian reader in English.
        BadHttpRequestException { InnerException: null } bad when IsOwn(bad) => (bad.StatusCode, bad.Message),
        BadHttpRequestException bad => (bad.StatusCode, "The request could not be read: " + bad.Message),
        System.Text.Json.JsonException json => (400, JsonDetail(json)),
        // Reading a body into a parameter failed some other way (a converter met a value of the wrong shape): still the
        // client's input. Only while a request body is read: the same exception types from our own code stay 500s.
        FormatException or InvalidOperationException or OverflowException when IsBodyRead(exception) => (400, "The request body is not valid JSON."),
        _ when IsStorageDown(exception) => (503, "Storage is unavailable; nothing was stored. Retry later."),
        // Text PostgreSQL cannot hold (NUL characters) in a request that did not clean it first: the client's input, not our fault.
        PostgresException { SqlState: "22021" or "22P05" } => (400, "The request contains characters that cannot be stored (such as NUL)."),
        OperationCanceledException => (499, "The request was cancelled."),
        _ => (500, "An unexpected error occurred."),
    };

    /// <summary>Thrown by this app's code (a nested or generated type's namespace is its outer type's), not by the server's.</summary>
    private static bool IsOwn(Exception exception) =>
        exception.TargetSite?.DeclaringType?.Namespace?.StartsWith("ContactCenter.", StringComparison.Ordinal) ?? false;

    public const string NulInBody = "The request contains a NUL character, which cannot be stored.";

    private const string NulInField = "The value contains a NUL character, which cannot be stored.";

    // JsonObject's own words for a member named twice, from the JsonObject (or its dictionary) it was building.
    private static bool IsDuplicateKey(Exception exception) =>
        exception.StackTrace is { } trace && trace.Contains("System.Text.Json.Nodes", StringComparison.Ordinal)
        && (exception.Message.Contains("same key", StringComparison.Ordinal) || exception.Message.Contains("uplicate", StringComparison.Ordinal));

    private static string JsonDetail(System.Text.Json.JsonException json) => json switch
    {
        // Malformed JSON: the reader's own error (the serializer wraps it).
        _ when IsSyntaxError(json) => json.Path is { Length: > 0 } path ? $"The request body is not valid JSON (at {path})." : "The request body is not valid JSON.",
        // A member named twice (in any case): which one was meant is not guessed.
        { Path: { Length: > 0 } twice } when json.Message.Contains("uplicate", StringComparison.Ordinal) => $"The request body names {twice} twice.",
        // A member a body that refuses unknown ones does not take (a typo must not pass as "nothing to change").
        { Path: { Length: > 2 } unknown } when json.Message.Contains("could not be mapped", StringComparison.Ordinal)
            => $"The request body has a field this route does not take: {unknown[2..]}.",
        // Well-formed JSON of the wrong shape (an array or a string where the route takes an object, a value of the wrong
        // type inside it: a string for a number, an object for a string, 7.5 for an id): not "invalid JSON".
        { Path: "$" } => "The request body must be a JSON object.",
        { Path: { Length: > 0 } at } => $"The request body has a value of the wrong type at {at}.",
        _ => "The request body is not valid JSON.",
    };

    private static string Clip(string value) => value.Length > 100 ? value[..100] + "…" : value;

    [System.Text.RegularExpressions.GeneratedRegex(@"^(Failed to bind parameter|Required parameter) ""(?:[^""]* )?(\w+)""(?: from ""(.*)"")?")]
    private static partial System.Text.RegularExpressions.Regex BindFailure();

    private static bool IsSyntaxError(System.Text.Json.JsonException json) =>
        json.InnerException?.GetType().Name == "JsonReaderException" || json.GetType().Name == "JsonReaderException";

    /// <summary>The field of a wrong-typed value (`$.workingHours.days` is `workingHours.days`, `$.ids[1]` is `ids`); null for anything else.</summary>
    private static string? WrongTypeField(System.Text.Json.JsonException json) =>
        IsSyntaxError(json) || json.Message.Contains("uplicate", StringComparison.Ordinal) || json.Path is not ['$', '.', .. var rest] || rest.Length == 0
            ? null
            : System.Text.RegularExpressions.Regex.Replace(rest, @"\[\d+\]", "");

    private static bool IsBodyRead(Exception exception) =>
        exception.StackTrace is { } trace && trace.Contains("System.Text.Json.JsonSerializer", StringComparison.Ordinal)
        && trace.Contains("ReadFromJsonAsync", StringComparison.Ordinal);

    public static bool IsStorageDown(Exception exception) => exception switch
    {
        NpgsqlException { IsTransient: true } => true,
        NpgsqlException { InnerException: SocketException or IOException or TimeoutException } => true,
        PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08006" or "08001" } => true,
        InvalidOperationException { InnerException: { } inner } => IsStorageDown(inner),
        TimeoutException => true,
        _ => false,
    };
}

public static class RequestLimits
{
    /// <summary>
    /// The body's charset without quotes ("" when none is given; `utf8` as "utf-8"); null when no encoding of that name is
    /// known (ASP.NET's JSON binder would throw on it: a 500).
    /// </summary>
    private static string? CharsetOf(MediaTypeHeaderValue mediaType)
    {
        if (!mediaType.Charset.HasValue)
        {
            return "";
        }
        var charset = HeaderUtilities.RemoveQuotes(mediaType.Charset).ToString();
        if (charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return "utf-8";
        }
        try
        {
            return charset.Length > 0 && System.Text.Encoding.GetEncoding(charset) is not null ? charset : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// JSON bodies are capped at 1 MB: a declared larger body is refused before it is read, a chunked one while it is read.
    /// A JSON body in a charset this server cannot decode (unknown, empty), or whose content type does not parse, is 415
    /// before any route reads it: the routes that bind JSON would throw on it (a 500), and the ones that read it raw would guess.
    /// </summary>
    public static IApplicationBuilder UseJsonBodyLimit(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        // A NUL in the query (`%00`) would reach a statement's parameters (a search): refused here, as typed bodies refuse it,
        // before PostgreSQL can (see BodyTextLimits). Kestrel itself refuses one in the path.
        if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) ?? false)
        {
            throw new BadHttpRequestException(ErrorHandling.NulInBody, StatusCodes.Status400BadRequest);
        }
        if (request.ContentType is { } json && json.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            if (!MediaTypeHeaderValue.TryParse(json, out var mediaType) || CharsetOf(mediaType) is not { } charset)
            {
                throw new BadHttpRequestException("The body's content type or its charset is not one this server reads; send application/json in UTF-8.",
                    StatusCodes.Status415UnsupportedMediaType);
            }
            if (charset.Length > 0 && charset != mediaType.Charset.ToString())
            {
                // Quoted (`charset="utf-8"`, RFC 9110 allows it) or a spelling .NET does not know (`utf8`): said plainly,
                // the way every reader of the body (the JSON binder, the webhooks' raw reads) understands it.
                mediaType.Charset = charset;
                request.ContentType = mediaType.ToString();
            }
        }
        if (request.ContentType is { } type && (type.Contains("json", StringComparison.OrdinalIgnoreCase) || type.Contains("x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)))
        {
            if (request.ContentLength > ErrorHandling.MaxJsonBodyBytes)
            {
                throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = ErrorHandling.MaxJsonBodyBytes;
            }
        }
        return next(context);
    });
}
