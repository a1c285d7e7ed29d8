using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Fields;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// A list view (<see cref="DealListQuery"/>, <see cref="LeadListQuery"/>): its filters read from the query string, then one
/// keyset page of them or every matching row as CSV. <see cref="ListViewsApi"/> serves both the same way.
/// </summary>
public interface IListQuery<TFilter, TItem>
    where TFilter : class
{
    Task<(TFilter? Filter, Validation Errors, IReadOnlyList<CustomField> Definitions)> ReadAsync(HttpRequest request, CurrentUser me, CancellationToken ct);

    Task<Page<TItem>> PageAsync(CurrentUser me, TFilter f, CancellationToken ct);

    Task WriteCsvAsync(CurrentUser me, TFilter f, IReadOnlyList<CustomField> definitions, Stream output, CancellationToken ct);
}
