namespace ContactCenter.Api.Features.Shared;

/// <summary>The outcome of a CRM change: a value, or why not (with the field at fault for 400s).</summary>
public sealed record CrmResult<T>(CrmStatus Status, T? Value, string? Detail = null, string? Field = null)
{
    public static CrmResult<T> Ok(T value) => new(CrmStatus.Ok, value);

    public static CrmResult<T> NotFound(string detail) => new(CrmStatus.NotFound, default, detail);

    public static CrmResult<T> Conflict(string detail) => new(CrmStatus.Conflict, default, detail);

    public static CrmResult<T> Invalid(string field, string detail) => new(CrmStatus.Invalid, default, detail, field);

    public CrmResult<TOther> As<TOther>() => new(Status, default, Detail, Field);
}
