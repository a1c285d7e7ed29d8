using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Crm;

public enum CrmStatus { Ok, NotFound, Conflict, Invalid, Forbidden }

/// <summary>The outcome of a CRM change: a value, or why not (with the field at fault for 400s).</summary>
public sealed record CrmResult<T>(CrmStatus Status, T? Value, string? Detail = null, string? Field = null)
{
    public static CrmResult<T> Ok(T value) => new(CrmStatus.Ok, value);

    public static CrmResult<T> NotFound(string detail) => new(CrmStatus.NotFound, default, detail);

    public static CrmResult<T> Conflict(string detail) => new(CrmStatus.Conflict, default, detail);

    public static CrmResult<T> Invalid(string field, string detail) => new(CrmStatus.Invalid, default, detail, field);

    public CrmResult<TOther> As<TOther>() => new(Status, default, Detail, Field);
}

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
