using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>
/// `POST /api/widget/csat {surveyId, rating}`: the visitor rates the conversation from the survey message's buttons.
/// Bound to the visitor's session like every widget route: only a survey asked in this visitor's own conversation counts
/// (anything else is a 404, never a hint); a second rating is a 409 (the first stands).
/// </summary>
public static class WidgetCsatApi
{
    public sealed record CsatRequest(long? SurveyId, int? Rating, string? Comment);

    public static RouteGroupBuilder MapWidgetCsat(this RouteGroupBuilder group)
    {
        group.MapPost("/csat", Rate);
        return group;
    }

    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> Rate(
        CsatRequest? request, HttpContext http, WidgetGate gate, ICsatRatings ratings, CancellationToken ct)
    {
        var (visitor, _, refused) = await gate.AdmitAsync(http, WidgetGate.Budget.Writes, ct);
        if (visitor is null)
        {
            return refused!;
        }
        if (request?.SurveyId is not > 0 || request.Rating is not (>= 1 and <= 5) || request.Comment is { Length: > 2000 })
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["rating"] = ["surveyId is required and rating is a whole number from 1 to 5 (comment at most 2000 characters)."],
            }, detail: "The rating is not valid.");
        }
        return await ratings.RateAsync(new CsatAnswer(visitor.ChannelId, request.SurveyId.Value, visitor.Key, request.Rating.Value, request.Comment), ct) switch
        {
            CsatOutcome.Recorded => TypedResults.NoContent(),
            CsatOutcome.AlreadyRated => TypedResults.Problem("This conversation has been rated already; the first rating stands.", statusCode: StatusCodes.Status409Conflict),
            _ => TypedResults.Problem("There is no such survey.", statusCode: StatusCodes.Status404NotFound),
        };
    }
}
