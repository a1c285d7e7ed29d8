using System.Security.Claims;
using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Stats;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ContactCenter.Api.Features.Reports;

/// <summary>
/// Sales reports (issue 17) for supervisors and admins, each as JSON or CSV (`format=csv` or `Accept: text/csv`).
/// The plan report is the exception: a manager may read it, and sees only their own row (as Bitrix24 shows a manager
/// their own plan); setting plans is for supervisors and admins.
/// </summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/reports").RequireAuthorization(Roles.StaffPolicy);
        staff.MapGet("/funnel", FunnelAsync);
        staff.MapGet("/sales", SalesAsync);
        staff.MapGet("/efficiency", EfficiencyAsync);
        staff.MapGet("/speed-to-lead", SpeedToLeadAsync);
        app.MapGet("/api/reports/plan", PlanAsync).RequireAuthorization();
        app.MapPut("/api/sales-plans/{userId:long}/{month}", SetPlanAsync).RequireAuthorization(Roles.StaffPolicy);
        app.MapDelete("/api/sales-plans/{userId:long}/{month}", RemovePlanAsync).RequireAuthorization(Roles.StaffPolicy);
        return app;
    }

    private static async Task<Results<Ok<Funnel>, FileContentHttpResult, ValidationProblem>> FunnelAsync(long? pipelineId, DateTimeOffset? from,
        DateTimeOffset? to, long? assigneeId, string? source, HttpRequest request, FunnelQuery funnel, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var period = ReportPeriod.Parse(from, to, clock.GetUtcNow(), v);
        if (period is null)
        {
            return v.ToResult();
        }
        var id = await funnel.PipelineOrDefaultAsync(pipelineId, ct);
        var filter = new FunnelFilter(assigneeId, string.IsNullOrWhiteSpace(source) ? null : source.Trim());
        if (await funnel.ReadAsync(id, period.From, period.To, filter, ct) is not { } result)
        {
            v.Add("pipelineId", "There is no such pipeline.");
            return v.ToResult();
        }
        return ReportCsv.Wanted(request) ? ReportsCsv.Funnel(result).ToResult("funnel.csv") : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<SalesReportResult>, FileContentHttpResult, ValidationProblem>> SalesAsync(DateTimeOffset? from, DateTimeOffset? to,
        string? groupBy, HttpRequest request, SalesReport sales, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var period = ReportPeriod.Parse(from, to, clock.GetUtcNow(), v);
        var grouping = Grouping(groupBy, SalesReport.Groupings, v);
        if (period is null || grouping is null)
        {
            return v.ToResult();
        }
        var result = await sales.ReadAsync(period, grouping, ct);
        return ReportCsv.Wanted(request) ? ReportsCsv.Sales(result).ToResult($"sales-by-{grouping}.csv") : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<EfficiencyReportResult>, FileContentHttpResult, ValidationProblem>> EfficiencyAsync(DateTimeOffset? from,
        DateTimeOffset? to, HttpRequest request, EfficiencyReport efficiency, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        if (ReportPeriod.Parse(from, to, clock.GetUtcNow(), v) is not { } period)
        {
            return v.ToResult();
        }
        var result = await efficiency.ReadAsync(period, ct);
        return ReportCsv.Wanted(request) ? ReportsCsv.Efficiency(result).ToResult("efficiency.csv") : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<SpeedToLeadResult>, FileContentHttpResult, ValidationProblem>> SpeedToLeadAsync(DateTimeOffset? from,
        DateTimeOffset? to, string? groupBy, HttpRequest request, SpeedToLeadReport speed, TimeProvider clock, CancellationToken ct)
    {
        var v = new Validation();
        var period = ReportPeriod.Parse(from, to, clock.GetUtcNow(), v);
        var grouping = Grouping(groupBy, SpeedToLeadReport.Groupings, v);
        if (period is null || grouping is null)
        {
            return v.ToResult();
        }
        var result = await speed.ReadAsync(period, grouping, ct);
        return ReportCsv.Wanted(request) ? ReportsCsv.SpeedToLead(result).ToResult($"speed-to-lead-by-{grouping}.csv") : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<PlanReport>, FileContentHttpResult, ValidationProblem>> PlanAsync(string? month, HttpRequest request,
        ClaimsPrincipal principal, SalesPlans plans, TimeProvider clock, CancellationToken ct)
    {
        DateOnly day;
        if (string.IsNullOrEmpty(month))
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            day = new DateOnly(today.Year, today.Month, 1);
        }
        else if (SalesPlans.ParseMonth(month) is { } parsed)
        {
            day = parsed;
        }
        else
        {
            return BadMonth();
        }
        var me = CurrentUser.From(principal);
        var result = await plans.ReadAsync(day, me.IsStaff ? null : me.Id, ct);
        return ReportCsv.Wanted(request) ? ReportsCsv.Plan(result).ToResult($"plan-{result.Month}.csv") : TypedResults.Ok(result);
    }

    private static async Task<Results<Ok<SalesPlanDto>, ProblemHttpResult, ValidationProblem>> SetPlanAsync(long userId, string month,
        SalesPlanRequest request, ClaimsPrincipal principal, SalesPlans plans, CancellationToken ct)
    {
        if (SalesPlans.ParseMonth(month) is not { } day)
        {
            return BadMonth();
        }
        if (request.Amount is not { } amount || amount < 0 || amount >= 10_000_000_000_000_000m || decimal.Round(amount, 2) != amount)
        {
            var v = new Validation();
            v.Add("amount", "amount must be a number from 0 to 9999999999999999.99 with at most two decimals.");
            return v.ToResult();
        }
        if (request.Currency is not null && Crm.DealService.CheckMoney(null, request.Currency) is not null)
        {
            var v = new Validation();
            v.Add("currency", "The currency is a 3-letter ISO 4217 code.");
            return v.ToResult();
        }
        return await plans.SetAsync(userId, day, amount, request.Currency?.ToUpperInvariant(), CurrentUser.From(principal).Id, ct) is { } set
            ? TypedResults.Ok(set)
            : Problems.NotFound("There is no such user.");
    }

    /// <summary>Removes a plan set by mistake (an emptied amount in the plan tab): 204, also when there was none; 404 for no such user.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult, ValidationProblem>> RemovePlanAsync(long userId, string month, SalesPlans plans, CancellationToken ct)
    {
        if (SalesPlans.ParseMonth(month) is not { } day)
        {
            return BadMonth();
        }
        return await plans.RemoveAsync(userId, day, ct) ? TypedResults.NoContent() : Problems.NotFound("There is no such user.");
    }

    private static ValidationProblem BadMonth()
    {
        var v = new Validation();
        v.Add("month", "month must be a month as yyyy-mm, e.g. 2026-03.");
        return v.ToResult();
    }

    private static string? Grouping(string? groupBy, string[] allowed, Validation v)
    {
        var value = string.IsNullOrEmpty(groupBy) ? allowed[0] : groupBy;
        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }
        v.Add("groupBy", $"groupBy must be one of: {string.Join(", ", allowed)}.");
        return null;
    }
}
