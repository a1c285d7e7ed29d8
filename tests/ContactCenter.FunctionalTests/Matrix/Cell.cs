namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>One (route, role) of the matrix: whom to call as, and a unique suffix for bodies that must not repeat.</summary>
public sealed class Cell(MatrixScenario scenario, Role role)
{
    public MatrixScenario S => scenario;

    public Role Role => role;

    public string? Token { get; private set; } = scenario.Tokens[role];

    public string Unique { get; } = Guid.NewGuid().ToString("N")[..10];

    /// <summary>For rows that spend the caller's own account: call as a new user standing for this role.</summary>
    public async Task UseOwnAccountAsync() => Token = await scenario.OwnTokenAsync(role);
}

/// <summary>
/// The request of one cell: a URL and a JSON body (or any other content); the method is the row's, or
/// <paramref name="Method"/> for a route of any method ("*").
/// </summary>
public sealed record Call(string Url, object? Json = null, Func<HttpContent>? Content = null, string? Method = null);

/// <summary>
/// One row of the matrix: a route of the app's route table (method and pattern exactly as the route table has them),
/// what case it exercises, how to call it from the scenario, and the expected outcome per role.
/// </summary>
public sealed record RouteRow(string Method, string Pattern, Expect Expect, Func<Cell, Task<Call>> Build, string Case = "")
{
    public string Route => $"{Method} {Pattern}";

    public override string ToString() => Case.Length == 0 ? Route : $"{Route} [{Case}]";
}
