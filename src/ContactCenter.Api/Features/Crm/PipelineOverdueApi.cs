using System.Security.Claims;
using ContactCenter.Api.Auth;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// `GET /api/pipelines/overdue` (issue #17): per pipeline, the caller's visible open deals with an overdue open activity —
/// the red counter of the pipeline picker. Counted by the same clock as the activity states.
/// </summary>
public static class PipelineOverdueApi
{
    public sealed record PipelineOverdue(long PipelineId, long Overdue);

    public static IEndpointRouteBuilder MapPipelineOverdueApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/pipelines/overdue", ListAsync).RequireAuthorization();
        return app;
    }

    private static async Task<Ok<List<PipelineOverdue>>> ListAsync(string? assignee, ClaimsPrincipal principal, NpgsqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        var me = CurrentUser.From(principal);
        await using var connection = await db.OpenConnectionAsync(ct);
        var rows = await connection.QueryAsync<PipelineOverdue>(new CommandDefinition($"""
            select p.id as pipeline_id, count(d.id) as overdue
            from pipelines p
            left join deals d on d.pipeline_id = p.id and d.closed_at is null and (not @mine or d.assignee_id = @me) and {CrmAccess.DealVisible}
                and exists (select 1 from activities a where a.subject_type = 'deal' and a.subject_id = d.id and a.completed_at is null and a.due_at < @now)
            group by p.id
            order by p.id
            """, new { me = me.Id, staff = me.IsStaff, mine = assignee == "me", now = clock.GetUtcNow().UtcDateTime }, cancellationToken: ct));
        return TypedResults.Ok(rows.ToList());
    }
}
