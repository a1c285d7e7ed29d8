using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Shared;

/// <summary>A <see cref="CrmResult{T}"/> as the route's answer: the value, a problem, or a validation problem naming the field.</summary>
public static class CrmHttp
{
    public static Results<Ok<T>, ProblemHttpResult, ValidationProblem> Ok<T>(CrmResult<T> r) => r.Status switch
    {
        CrmStatus.Ok => TypedResults.Ok(r.Value!),
        CrmStatus.Invalid => Invalid(r.Field ?? "body", r.Detail!),
        _ => Problem(r.Status, r.Detail!),
    };

    public static Results<Created<T>, ProblemHttpResult, ValidationProblem> Created<T>(CrmResult<T> r, Func<T, string> location) => r.Status switch
    {
        CrmStatus.Ok => TypedResults.Created(location(r.Value!), r.Value!),
        CrmStatus.Invalid => Invalid(r.Field ?? "body", r.Detail!),
        _ => Problem(r.Status, r.Detail!),
    };

    public static ValidationProblem Invalid(string field, string detail)
    {
        var v = new Validation();
        v.Add(field, detail);
        return v.ToResult(detail);
    }

    public static ProblemHttpResult Problem(CrmStatus status, string detail) => status switch
    {
        CrmStatus.NotFound => Problems.NotFound(detail),
        CrmStatus.Conflict => Problems.Conflict(detail),
        CrmStatus.Forbidden => Problems.Forbidden(detail),
        _ => Problems.BadRequest(detail),
    };
}
