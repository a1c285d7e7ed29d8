using ContactCenter.Api.Features.Stats;

namespace ContactCenter.Api.Features.Reports;

/// <summary>Each report's CSV: the same figures as its JSON, one row per line, a header naming the columns.</summary>
public static class ReportsCsv
{
    public static ReportCsv Funnel(Funnel funnel)
    {
        var csv = new ReportCsv("stageId", "stage", "semantic", "entered", "amount", "reached", "reachedAmount", "conversionToNext");
        foreach (var s in funnel.Stages)
        {
            csv.Row(s.StageId, s.Name, s.Semantic, s.Entered, s.Amount, s.Reached, s.ReachedAmount, s.ConversionToNext);
        }
        csv.Row("", "Won", "won", funnel.Won.Count, funnel.Won.Amount, null, null, null);
        csv.Row("", "Lost", "lost", funnel.Lost.Count, funnel.Lost.Amount, null, null, null);
        foreach (var r in funnel.LossReasons)
        {
            csv.Row(r.Id, "Loss reason: " + r.Name, "lossReason", r.Count, r.Amount, null, null, null);
        }
        return csv;
    }

    public static ReportCsv Sales(SalesReportResult sales)
    {
        var csv = new ReportCsv("key", "label", "count", "sum", "average", "winRate", "cycleTimeDays", "lost");
        foreach (var r in sales.Rows)
        {
            csv.Row(r.Key, r.Label, r.Count, r.Sum, r.Average, r.WinRate, r.CycleTimeDays, r.Lost);
        }
        return csv;
    }

    public static ReportCsv Plan(PlanReport plan)
    {
        var csv = new ReportCsv("month", "userId", "name", "plan", "won", "wonCount", "progress", "forecast", "currency", "wonOtherCurrencies");
        foreach (var r in plan.Rows)
        {
            csv.Row(plan.Month, r.UserId, r.Name, r.Plan, r.Won, r.WonCount, r.Progress, r.Forecast, r.Currency,
                string.Join("; ", r.WonOther.Select(o => $"{o.Amount.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)} {o.Currency}")));
        }
        return csv;
    }

    public static ReportCsv Efficiency(EfficiencyReportResult efficiency)
    {
        var csv = new ReportCsv("userId", "name", "firstResponses", "firstResponseMedianSeconds", "firstResponseP90Seconds",
            "activitiesDone", "activitiesOverdue", "dealsWon", "dealsWonSum");
        foreach (var r in efficiency.Rows)
        {
            csv.Row(r.UserId, r.Name, r.FirstResponses, r.FirstResponseMedianSeconds, r.FirstResponseP90Seconds,
                r.ActivitiesDone, r.ActivitiesOverdue, r.DealsWon, r.DealsWonSum);
        }
        return csv;
    }

    /// <summary>The groups, the overall row, then the untouched leads and deals (their own columns after an empty line).</summary>
    public static ReportCsv SpeedToLead(SpeedToLeadResult speed)
    {
        var csv = new ReportCsv("key", "label", "count", "touched", "medianMinutes", "p90Minutes", "withinFiveMinutesShare");
        foreach (var r in speed.Rows.Append(speed.Overall))
        {
            csv.Row(r.Key, r.Label, r.Count, r.Touched, r.MedianMinutes, r.P90Minutes, r.WithinFiveMinutesShare);
        }
        csv.Row();
        csv.Row("untouchedKind", "id", "title", "createdAt", "assigneeId", "assignee");
        foreach (var u in speed.Untouched)
        {
            csv.Row(u.Kind, u.Id, u.Title, u.CreatedAt, u.AssigneeId, u.AssigneeName);
        }
        return csv;
    }
}
