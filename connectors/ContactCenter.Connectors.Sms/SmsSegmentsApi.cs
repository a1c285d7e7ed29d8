using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ContactCenter.Connectors.Sms;

/// <summary>`GET /api/sms/segments?text=`: what a text will cost before the manager sends it.</summary>
public static class SmsSegmentsApi
{
    public const int MaxTextLength = 20_000;

    public static IEndpointRouteBuilder MapSmsSegmentsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/sms/segments", Count).RequireAuthorization();
        return app;
    }

    private static Results<Ok<SmsSegments.Count>, ValidationProblem> Count(string? text)
    {
        if (text is null || text.Length > MaxTextLength)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [$"text is required (at most {MaxTextLength} characters)."] },
                detail: "Some fields are not valid.");
        }
        return TypedResults.Ok(SmsSegments.Of(text));
    }
}
