using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>
/// The sales reports' rows of <see cref="RouteMatrix"/> (issue 17): supervisors and admins only, JSON and CSV alike.
/// The plan report answers every signed-in user (a manager reads their own row only: ReportsTests).
/// </summary>
public static class ReportsMatrix
{
    public static readonly IReadOnlyList<RouteRow> Rows =
    [
        Row("GET", "/api/reports/funnel", Staff, _ => Url("/api/reports/funnel")),
        Row("GET", "/api/reports/funnel", Staff, c => Url($"/api/reports/funnel?assigneeId={c.S.UserIds[Role.Assigned]}&format=csv"), "the assigned manager's deals, CSV"),
        Row("GET", "/api/reports/sales", Staff, _ => Url("/api/reports/sales?groupBy=manager")),
        Row("GET", "/api/reports/sales", Staff, _ => Url("/api/reports/sales?groupBy=source&format=csv"), "CSV"),
        Row("GET", "/api/reports/efficiency", Staff, _ => Url("/api/reports/efficiency")),
        Row("GET", "/api/reports/speed-to-lead", Staff, _ => Url("/api/reports/speed-to-lead?groupBy=channel")),
        Row("GET", "/api/reports/speed-to-lead", Staff, _ => Url("/api/reports/speed-to-lead?groupBy=manager&format=csv"), "CSV"),
        Row("GET", "/api/reports/plan", Signed, _ => Url("/api/reports/plan")),
        Row("PUT", "/api/sales-plans/{userId:long}/{month}", Staff, c => Send($"/api/sales-plans/{c.S.UserIds[Role.Assigned]}/2026-01", new { amount = 1000 }),
            "the assigned manager's plan"),
        Row("DELETE", "/api/sales-plans/{userId:long}/{month}", Staff, c => Url($"/api/sales-plans/{c.S.UserIds[Role.Assigned]}/2026-02"),
            "the assigned manager's plan"),
    ];

    private static RouteRow Row(string method, string pattern, Expect expect, Func<Cell, Task<Call>> build, string @case = "") => new(method, pattern, expect, build, @case);

    private static Task<Call> Url(string url) => Task.FromResult(new Call(url));

    private static Task<Call> Send(string url, object body) => Task.FromResult(new Call(url, body));
}
