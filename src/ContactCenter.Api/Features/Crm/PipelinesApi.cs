using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>CRM configuration: mode, pipelines and stages, loss reasons; and the kanban board.</summary>
public static class PipelinesApi
{
    public sealed record LossReasonRequest(string? Name);

    public static IEndpointRouteBuilder MapPipelinesApi(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/settings/crm").RequireAuthorization(Roles.AdminPolicy);
        settings.MapGet("/", GetSettings);
        settings.MapPut("/", PutSettings);
        app.MapGet("/api/crm/defaults", GetDefaults).RequireAuthorization();

        var pipelines = app.MapGroup("/api/pipelines").RequireAuthorization();
        pipelines.MapGet("/", List);
        pipelines.MapGet("/{id:long}", Get);
        pipelines.MapPost("/", Create).RequireAuthorization(Roles.AdminPolicy);
        pipelines.MapPut("/{id:long}", Update).RequireAuthorization(Roles.AdminPolicy);
        pipelines.MapDelete("/{id:long}", Delete).RequireAuthorization(Roles.AdminPolicy);
        pipelines.MapGet("/{id:long}/board", GetBoard).RequireReadGate();

        var reasons = app.MapGroup("/api/loss-reasons").RequireAuthorization();
        reasons.MapGet("/", ListLossReasons);
        reasons.MapPost("/", CreateLossReason).RequireAuthorization(Roles.AdminPolicy);
        return app;
    }

    private static async Task<Ok<CrmSettingsService.CrmSettings>> GetSettings(CrmSettingsService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GetAsync(ct));

    /// <summary>What a new deal starts with when nobody names it (the currency): for every signed-in user's forms.</summary>
    private static async Task<Ok<CrmSettingsService.CrmDefaults>> GetDefaults(CrmSettingsService service, CancellationToken ct) =>
        TypedResults.Ok(new CrmSettingsService.CrmDefaults((await service.GetAsync(ct)).Currency));

    private static async Task<Results<Ok<CrmSettingsService.SettingsResult>, ProblemHttpResult, ValidationProblem>> PutSettings(
        CrmSettingsService.SettingsRequest request, ClaimsPrincipal principal, CrmSettingsService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.SetAsync(CurrentUser.From(principal), request, ct));

    private static async Task<Ok<List<PipelineDto>>> List(PipelineService service, CancellationToken ct) => TypedResults.Ok(await service.ListAsync(ct));

    private static async Task<Results<Ok<PipelineDto>, ProblemHttpResult>> Get(long id, PipelineService service, CancellationToken ct) =>
        await service.GetAsync(id, ct) is { } p ? TypedResults.Ok(p) : Problems.NotFound("There is no such pipeline.");

    private static async Task<Results<Created<PipelineDto>, ProblemHttpResult, ValidationProblem>> Create(
        PipelineService.PipelineRequest request, ClaimsPrincipal principal, PipelineService service, CancellationToken ct) =>
        CrmHttp.Created(await service.CreateAsync(CurrentUser.From(principal).Id, request, ct), p => $"/api/pipelines/{p.Id}");

    private static async Task<Results<Ok<PipelineDto>, ProblemHttpResult, ValidationProblem>> Update(
        long id, PipelineService.PipelineRequest request, ClaimsPrincipal principal, PipelineService service, CancellationToken ct) =>
        CrmHttp.Ok(await service.UpdateAsync(CurrentUser.From(principal).Id, id, request, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, ClaimsPrincipal principal, PipelineService service, CancellationToken ct)
    {
        var result = await service.DeleteAsync(CurrentUser.From(principal).Id, id, ct);
        return result.Status == CrmStatus.Ok ? TypedResults.NoContent() : CrmHttp.Problem(result.Status, result.Detail!);
    }

    private static async Task<Results<Ok<Board>, ProblemHttpResult>> GetBoard(
        long id, long? assigneeId, string? assignee, int? limit, ClaimsPrincipal principal, BoardQuery board, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        var filter = assignee == "me" ? me.Id : assigneeId;
        return await board.GetAsync(me, id, filter, Math.Clamp(limit ?? 20, 1, 200), ct) is { } b ? TypedResults.Ok(b) : Problems.NotFound("There is no such pipeline.");
    }

    /// <summary>The reasons offered (archived ones only with ?archived=true, then only them); renamed and archived through the catalog routes.</summary>
    private static async Task<Ok<List<LossReasonDto>>> ListLossReasons(bool? archived, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok((await connection.QueryAsync<LossReasonDto>(new CommandDefinition(
            "select id, name, name_ru as nameru from loss_reasons where (archived_at is not null) = @archived order by sort, id",
            new { archived = archived == true }, cancellationToken: ct))).ToList());
    }

    private static async Task<Results<Created<LossReasonDto>, ProblemHttpResult, ValidationProblem>> CreateLossReason(
        LossReasonRequest request, ClaimsPrincipal principal, NpgsqlDataSource db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200 || request.Name.Any(char.IsControl))
        {
            return CrmHttp.Invalid("name", "A name of at most 200 characters, on one line, is required.");
        }
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // "дорого" beside "Дорого" is one reason twice (compared here: the database's lower() may know only ASCII).
        var names = await connection.QueryAsync<string>(new CommandDefinition("select name from loss_reasons", transaction: tx, cancellationToken: ct));
        if (names.Any(n => string.Equals(n, request.Name.Trim(), StringComparison.OrdinalIgnoreCase))
            || await CrmCatalogsApi.RussianNameTakenAsync(connection, tx, "loss_reasons", null, request.Name, ct))
        {
            return Problems.Conflict("A loss reason with this name already exists.");
        }
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "insert into loss_reasons (name) values (@name) on conflict (name) do nothing returning id", new { name = request.Name.Trim() }, tx, cancellationToken: ct));
        if (id is not null)
        {
            await CrmAudit.WriteAsync(connection, tx, CurrentUser.From(principal).Id, "loss-reason.created", "loss-reason", id, null, new { name = request.Name.Trim() }, ct);
        }
        await tx.CommitAsync(ct);
        return id is null
            ? Problems.Conflict("A loss reason with this name already exists.")
            : TypedResults.Created($"/api/loss-reasons/{id}", new LossReasonDto(id.Value, request.Name.Trim()));
    }

    internal static int Limit(int? limit) => ConversationsApi.ClampLimit(limit);
}
