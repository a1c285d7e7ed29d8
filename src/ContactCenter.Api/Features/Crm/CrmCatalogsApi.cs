using System.Security.Claims;
using System.Text;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The two configurable lists of the lead card (issue #17): lead statuses ("In work", "Processed"...) and junk reasons.
/// Everyone reads them; admins and supervisors edit them. A removed entry is archived (leads keep naming it).
/// </summary>
public static class CrmCatalogsApi
{
    public sealed record CatalogEntry(long Id, string Name, string? NameRu, int Sort, bool Archived);

    /// <summary>Which table a route serves: fixed names, never taken from a request.</summary>
    /// <param name="Policy">Who changes it.</param>
    /// <param name="Listed">Whether its GET and POST are these generic ones (loss reasons keep their own: PipelinesApi).</param>
    private sealed record Catalog(string Table, string Noun, string Route, string Policy = Roles.StaffPolicy, bool Listed = true);

    private static readonly Catalog Statuses = new("lead_statuses", "lead status", "/api/lead-statuses");

    private static readonly Catalog JunkReasons = new("junk_reasons", "junk reason", "/api/junk-reasons");

    private static readonly Catalog LossReasons = new("loss_reasons", "loss reason", "/api/loss-reasons", Roles.AdminPolicy, Listed: false);

    public static IEndpointRouteBuilder MapCrmCatalogsApi(this IEndpointRouteBuilder app)
    {
        foreach (var catalog in (Catalog[])[Statuses, JunkReasons, LossReasons])
        {
            var group = app.MapGroup(catalog.Route).RequireAuthorization();
            if (catalog.Listed)
            {
                group.MapGet("/", (bool? archived, NpgsqlDataSource db, CancellationToken ct) => ListAsync(catalog, archived == true, db, ct));
                group.MapPost("/", (CatalogInput body, ClaimsPrincipal p, NpgsqlDataSource db, CancellationToken ct) => CreateAsync(catalog, body, p, db, ct))
                    .RequireAuthorization(catalog.Policy);
            }
            group.MapPatch("/{id:long}", (long id, CatalogInput body, ClaimsPrincipal p, NpgsqlDataSource db, CancellationToken ct) => PatchAsync(catalog, id, body, p, db, ct))
                .RequireAuthorization(catalog.Policy);
            group.MapDelete("/{id:long}", (long id, ClaimsPrincipal p, NpgsqlDataSource db, CancellationToken ct) => ArchiveAsync(catalog, id, p, db, ct))
                .RequireAuthorization(catalog.Policy);
        }
        return app;
    }

    private static async Task<Ok<List<CatalogEntry>>> ListAsync(Catalog c, bool archived, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok((await connection.QueryAsync<CatalogEntry>(new CommandDefinition(
            $"select id, name, name_ru, sort, archived_at is not null as archived from {c.Table} where @archived or archived_at is null order by sort, id",
            new { archived }, cancellationToken: ct))).ToList());
    }

    private sealed record Input(string? Name, string? NameRu, int? Sort, bool? Archived, bool SetsNameRu);

    /// <summary>
    /// Checks a body's fields: a name of 1 to 100 characters without control characters (required on create), nameRu
    /// likewise or null, sort a whole number from 0 to 10000, archived true or false (PATCH only). Each problem is named
    /// by its field.
    /// </summary>
    private static CrmResult<Input> Read(CatalogInput body, bool create)
    {
        if (body.Unknown is { Count: > 0 } unknown)
        {
            var key = unknown.Keys.First();
            return CrmResult<Input>.Invalid(key, $"Unknown field {key}: send name, nameRu, sort{(create ? "" : ", archived")}.");
        }
        if (create && body.Archived.IsPresent)
        {
            return CrmResult<Input>.Invalid("archived", "A new entry is active: archive it afterwards (PATCH {archived: true} or DELETE).");
        }
        if (body.Name.IsMalformed || body.NameRu.IsMalformed)
        {
            var field = body.Name.IsMalformed ? "name" : "nameRu";
            return CrmResult<Input>.Invalid(field, $"{field} is a string.");
        }
        if (body.Sort.IsMalformed || (body.Sort.IsSet && body.Sort.Value is null))
        {
            return CrmResult<Input>.Invalid("sort", "sort is a whole number between 0 and 10000.");
        }
        if (body.Archived.IsMalformed || (body.Archived.IsSet && body.Archived.Value is null))
        {
            return CrmResult<Input>.Invalid("archived", "archived is true or false.");
        }
        var input = new Input(body.Name.Value?.Trim(), body.NameRu.Value?.Trim(), body.Sort.Value, body.Archived.Value, body.NameRu.IsSet);
        if ((create || body.Name.IsSet) && !IsName(input.Name))
        {
            return CrmResult<Input>.Invalid("name", "A name of 1 to 100 characters (no line breaks or control characters) is required.");
        }
        if (input.NameRu is not null && !IsName(input.NameRu))
        {
            return CrmResult<Input>.Invalid("nameRu", "nameRu is 1 to 100 characters without line breaks or control characters (or null).");
        }
        if (input.Sort is < 0 or > 10_000)
        {
            return CrmResult<Input>.Invalid("sort", "sort is a whole number between 0 and 10000.");
        }
        return CrmResult<Input>.Ok(input);
    }

    /// <summary>1 to 100 characters as a person counts them (code points: an emoji is one), none of them a control character.</summary>
    private static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name) && name.EnumerateRunes().Count() <= 100 && !name.EnumerateRunes().Any(Rune.IsControl);

    private static async Task<Results<Created<CatalogEntry>, ProblemHttpResult, ValidationProblem>> CreateAsync(
        Catalog c, CatalogInput body, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        var input = Read(body, create: true);
        if (input.Value is not { } i)
        {
            return CrmHttp.Invalid(input.Field!, input.Detail!);
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await RussianNameTakenAsync(connection, tx, c.Table, null, i.NameRu ?? i.Name!, ct))
        {
            return Problems.Conflict($"A {c.Noun} with this name already exists.");
        }
        var entry = await connection.QuerySingleOrDefaultAsync<CatalogEntry>(new CommandDefinition($"""
            insert into {c.Table} (name, name_ru, sort)
            values (@Name, @NameRu, coalesce(@Sort, (select coalesce(max(sort), 0) + 1 from {c.Table})))
            on conflict (lower(name collate "und-x-icu")) where archived_at is null do nothing
            returning id, name, name_ru, sort, false as archived
            """, i, tx, cancellationToken: ct));
        if (entry is null)
        {
            return Problems.Conflict($"A {c.Noun} with this name already exists.");
        }
        await CrmAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, $"{c.Noun.Replace(' ', '-')}.created", c.Noun.Replace(' ', '-'), entry.Id, null, entry, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"{c.Route}/{entry.Id}", entry);
    }

    private static async Task<Results<Ok<CatalogEntry>, ProblemHttpResult, ValidationProblem>> PatchAsync(
        Catalog c, long id, CatalogInput body, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        var input = Read(body, create: false);
        if (input.Value is not { } i)
        {
            return CrmHttp.Invalid(input.Field!, input.Detail!);
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var before = await connection.QuerySingleOrDefaultAsync<CatalogEntry>(new CommandDefinition(
            $"select id, name, name_ru, sort, archived_at is not null as archived from {c.Table} where id = @id for update", new { id }, tx, cancellationToken: ct));
        if (before is null)
        {
            return Problems.NotFound($"There is no such {c.Noun}.");
        }
        // Checked when the Russian name shown changes or the entry comes back into use (a sort alone changes neither, nor
        // an English name under a Russian one: two entries that show one name from before this check are still editable).
        var russian = (i.SetsNameRu ? i.NameRu : before.NameRu) ?? i.Name ?? before.Name;
        var renamed = !string.Equals(russian, before.NameRu ?? before.Name, StringComparison.OrdinalIgnoreCase) || (before.Archived && i.Archived == false);
        if (renamed && !(i.Archived ?? before.Archived) && await RussianNameTakenAsync(connection, tx, c.Table, id, russian, ct))
        {
            return Problems.Conflict($"A {c.Noun} with this name already exists.");
        }
        try
        {
            var after = await connection.QuerySingleAsync<CatalogEntry>(new CommandDefinition($"""
                update {c.Table} set name = coalesce(@name, name), name_ru = case when @setRu then @nameRu else name_ru end, sort = coalesce(@sort, sort),
                       archived_at = case when @archived is null then archived_at when @archived then coalesce(archived_at, now()) else null end
                where id = @id
                returning id, name, name_ru, sort, archived_at is not null as archived
                """, new { id, name = i.Name, setRu = i.SetsNameRu, nameRu = i.NameRu, sort = i.Sort, archived = i.Archived }, tx, cancellationToken: ct));
            await CrmAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, $"{c.Noun.Replace(' ', '-')}.updated", c.Noun.Replace(' ', '-'), id, before, after, ct);
            await tx.CommitAsync(ct);
            return TypedResults.Ok(after);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Problems.Conflict($"A {c.Noun} with this name already exists.");
        }
    }

    /// <summary>
    /// Whether another entry in use shows <paramref name="russian"/> on a Russian screen (its nameRu, or its name when it has
    /// none), ignoring case: a status "В работе" beside "In work" whose Russian name is "В работе" read as one status twice.
    /// English names have their unique index; this check runs under a lock per table, so two writers cannot both pass it.
    /// </summary>
    internal static async Task<bool> RussianNameTakenAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string table, long? id, string russian, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("select pg_advisory_xact_lock(hashtext(@key))", new { key = table + ".name" }, tx, cancellationToken: ct));
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition($"""
            select exists (select 1 from {table} where archived_at is null and id is distinct from @id
                and lower(coalesce(name_ru, name) collate "und-x-icu") = lower(@russian collate "und-x-icu"))
            """, new { id, russian = russian.Trim() }, tx, cancellationToken: ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ArchiveAsync(Catalog c, long id, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var archived = await connection.ExecuteAsync(new CommandDefinition(
            $"update {c.Table} set archived_at = coalesce(archived_at, now()) where id = @id", new { id }, tx, cancellationToken: ct));
        if (archived == 0)
        {
            return Problems.NotFound($"There is no such {c.Noun}.");
        }
        await CrmAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, $"{c.Noun.Replace(' ', '-')}.archived", c.Noun.Replace(' ', '-'), id, null, null, ct);
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }
}
