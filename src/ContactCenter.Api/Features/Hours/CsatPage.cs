using System.Globalization;
using System.Net;
using System.Text;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Core;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Hours;

/// <summary>
/// The signed public rating page for channels without buttons (email, SMS...): `GET /csat/{token}` shows a tiny form,
/// `POST /csat/{token}` (form fields or JSON `rating`, `comment`) records it. Anonymous, rate-limited per IP; a tampered
/// or expired token is a 404, a second answer a 409, a rating outside 1-5 a 400 — none changes anything.
/// </summary>
public static class CsatPage
{
    public const string RateLimitPolicy = "csat";

    [Infrastructure.CustomerText]
    public sealed record CsatForm(int? Rating, string? Comment);

    public static IEndpointRouteBuilder MapCsatPage(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/csat").AllowAnonymous().RequireRateLimiting(RateLimitPolicy);
        group.MapGet("/{token}", Show);
        group.MapPost("/{token}", Submit).DisableAntiforgery();
        return app;
    }

    private static Results<ContentHttpResult, ProblemHttpResult> Show(string token, CsatTokens tokens) =>
        tokens.Read(token) is null
            ? Problems.NotFound("This rating link is not valid or has expired.")
            : TypedResults.Content(Page(token, null), "text/html; charset=utf-8");

    private static async Task<Results<ContentHttpResult, Ok<CsatForm>, ProblemHttpResult, ValidationProblem>> Submit(
        string token, HttpRequest request, CsatTokens tokens, CsatSurveys surveys, CancellationToken ct)
    {
        if (tokens.Read(token) is not { } link)
        {
            return Problems.NotFound("This rating link is not valid or has expired.");
        }
        CsatForm? form;
        var isForm = request.HasFormContentType;
        try
        {
            if (isForm)
            {
                var fields = await request.ReadFormAsync(ct);
                form = new CsatForm(int.TryParse(fields["rating"], NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : null, fields["comment"]);
            }
            else
            {
                form = await request.ReadFromJsonAsync<CsatForm>(ct);
            }
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidDataException or BadHttpRequestException)
        {
            return Problems.BadRequest("The body must be a form or JSON with rating (1-5) and an optional comment.");
        }
        if (form?.Rating is not (>= 1 and <= 5) || form.Comment is { Length: > CsatSurveys.MaxCommentLength })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["rating"] = ["rating must be a whole number from 1 to 5; comment at most 2000 characters."],
            }, detail: "The rating is not valid.");
        }
        return await surveys.RateByLinkAsync(link, form.Rating.Value, form.Comment, ct) switch
        {
            CsatOutcome.Recorded when isForm => TypedResults.Content(Page(token, "Thank you for your rating!"), "text/html; charset=utf-8"),
            CsatOutcome.Recorded => TypedResults.Ok(form),
            CsatOutcome.AlreadyRated => Problems.Conflict("This conversation has been rated already; the first rating stands."),
            _ => Problems.NotFound("This rating link is not valid or has expired."),
        };
    }

    private static string Page(string token, string? done)
    {
        var html = new StringBuilder("""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Rate our help</title></head>
            <body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem;">
            """);
        if (done is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h1 style=\"font-size: 1.3rem\">{WebUtility.HtmlEncode(done)}</h1>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <h1 style="font-size: 1.3rem">How would you rate our help?</h1>
                <form method="post" action="/csat/{WebUtility.HtmlEncode(token)}">
                <p style="display: flex; gap: .5rem">
                """);
            for (var i = 1; i <= 5; i++)
            {
                html.Append(CultureInfo.InvariantCulture, $"<label style=\"padding: .5rem\"><input type=\"radio\" name=\"rating\" value=\"{i}\" required> {i}</label>");
            }
            html.Append("""
                </p>
                <p><label>Comment (optional)<br><textarea name="comment" maxlength="2000" rows="4" style="width: 100%"></textarea></label></p>
                <p><button type="submit" style="padding: .6rem 1.2rem">Send</button></p>
                </form>
                """);
        }
        return html.Append("</body></html>").ToString();
    }
}
