using System.Net.Http.Headers;
using System.Net.Http.Json;
using ContactCenter.FunctionalTests.Infrastructure;
using ContactCenter.FunctionalTests.Matrix;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ContactCenter.FunctionalTests;

/// <summary>One app and one scenario (<see cref="MatrixScenario"/>) for the whole matrix.</summary>
public sealed class MatrixFixture : AppFixture
{
    public MatrixScenario Scenario { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Scenario = new MatrixScenario(this);
        await Scenario.BuildAsync();
    }
}

/// <summary>
/// Drives every route of the app's own route table (walked through EndpointDataSource, so a new route cannot be
/// forgotten) and every method of the inbox hub as every <see cref="Role"/>, against the one table in
/// <see cref="RouteMatrix"/> and <see cref="HubMatrix"/>. Failures list every wrong cell, not the first.
/// </summary>
public sealed class AuthorizationMatrixTests(MatrixFixture fixture, ITestOutputHelper output) : IClassFixture<MatrixFixture>
{
    [Fact]
    public void Every_route_of_the_route_table_has_a_row()
    {
        var rows = RouteMatrix.Rows.Select(r => r.Route).ToHashSet();

        var missing = RouteTable().Keys.Where(route => !rows.Contains(route)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, "Routes with no row in RouteMatrix (add one per case, with the outcome for every role):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Every_row_names_a_route_of_the_route_table()
    {
        var routes = RouteTable();

        var unknown = RouteMatrix.Rows.Select(r => r.Route).Distinct().Where(route => !routes.ContainsKey(route)).Order(StringComparer.Ordinal).ToList();

        Assert.True(unknown.Count == 0, "Rows of RouteMatrix naming a route the app does not have:\n" + string.Join("\n", unknown));
    }

    [Fact]
    public void The_public_rows_are_exactly_the_routes_that_allow_anonymous_callers()
    {
        var routes = RouteTable();
        var wrong = new List<string>();
        foreach (var (route, anonymous) in routes.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var rows = RouteMatrix.Rows.Where(r => r.Route == route).ToList();
            if (rows.Count > 0 && rows.Any(r => r.Expect.IsPublic) != anonymous)
            {
                wrong.Add(anonymous ? $"{route} allows anonymous callers but its row is not Public" : $"{route} is Public in the table but requires a user");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public async Task Every_route_answers_every_role_as_the_table_says()
    {
        var routes = RouteTable();
        using var http = fixture.App.Http();
        var wrong = new List<string>();
        var cells = 0;
        foreach (var row in RouteMatrix.Rows.Where(r => routes.ContainsKey(r.Route)))
        {
            var statuses = new Dictionary<Role, int>();
            foreach (var role in Expect.Roles)
            {
                cells++;
                var cell = new Cell(fixture.Scenario, role);
                try
                {
                    statuses[role] = await SendAsync(http, row, cell);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    wrong.Add($"{row} as {role}: the call could not be made: {ex.GetType().Name}: {ex.Message}");
                    continue;
                }
                var got = Expect.Classify(statuses[role]);
                if (!row.Expect.IsPublic && got != row.Expect[role])
                {
                    wrong.Add($"{row} as {role}: expected {row.Expect[role]}, got {statuses[role]} ({got})");
                }
                else if (!row.Expect.IsPublic && got == Outcome.Allowed && statuses[role] >= 300)
                {
                    // Allowed past authorization, but not a success: a row whose body could be made valid should be.
                    output.WriteLine($"{row} as {role}: allowed with {statuses[role]}");
                }
            }
            // A public route answers the same whatever token comes with the call, and never with a 5xx.
            if (row.Expect.IsPublic && statuses.TryGetValue(Role.NoToken, out var anonymous))
            {
                wrong.AddRange(statuses.Where(s => s.Value != anonymous || s.Value >= 500)
                    .Select(s => $"{row} as {s.Key}: expected the anonymous answer ({anonymous}), got {s.Value}"));
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cells} cells answer otherwise than RouteMatrix says:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void Every_hub_method_has_a_row_and_every_row_a_method()
    {
        var methods = HubMatrix.HubMethods();
        var rows = HubMatrix.Rows.Select(r => r.Method).Distinct().ToList();

        Assert.Equal(methods, rows.Order().ToList());
    }

    [Fact]
    public async Task The_inbox_hub_answers_every_role_as_its_table_says()
    {
        var wrong = new List<string>();
        var cells = 0;
        foreach (var role in Expect.Roles)
        {
            cells++;
            var token = fixture.Scenario.Tokens[role];
            await using var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(fixture.App.BaseAddress, "/hubs/inbox"), o => o.AccessTokenProvider = () => Task.FromResult(token))
                .Build();
            var connected = await ConnectAsync(connection);
            if (connected != HubMatrix.Connect[role])
            {
                wrong.Add($"hub connect as {role}: expected {HubMatrix.Connect[role]}, got {connected}");
            }
            foreach (var row in HubMatrix.Rows)
            {
                cells++;
                var got = connection.State == HubConnectionState.Connected ? await InvokeAsync(connection, row) : Outcome.Unauthorized;
                if (got != Refusal(row.Expect[role]))
                {
                    wrong.Add($"{row} as {role}: expected {row.Expect[role]}, got {got}");
                }
            }
        }

        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cells} hub cells answer otherwise than HubMatrix says:\n" + string.Join("\n", wrong));
    }

    /// <summary>Every route of the route table as "METHOD pattern" (a route without methods, the web app's fallback, as "*"), and whether it allows anonymous callers.</summary>
    private Dictionary<string, bool> RouteTable()
    {
        var table = new Dictionary<string, bool>();
        foreach (var endpoint in fixture.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"])
            {
                table[$"{method} {endpoint.RoutePattern.RawText}"] = anonymous;
            }
        }
        return table;
    }

    private async Task<int> SendAsync(HttpClient http, RouteRow row, Cell cell)
    {
        var call = await row.Build(cell);
        using var request = new HttpRequestMessage(new HttpMethod(call.Method ?? (row.Method == "*" ? "GET" : row.Method)), call.Url);
        request.Content = call.Content?.Invoke() ?? (call.Json is null ? null : JsonContent.Create(call.Json, options: AppFixture.Json));
        if (cell.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cell.Token);
        }
        using var response = await http.SendAsync(request);
        return (int)response.StatusCode;
    }

    private static async Task<Outcome> ConnectAsync(HubConnection connection)
    {
        try
        {
            await connection.StartAsync();
            return Outcome.Allowed;
        }
        catch (HttpRequestException ex)
        {
            return ex.StatusCode is { } status ? Expect.Classify((int)status) : Outcome.ServerError;
        }
    }

    private async Task<Outcome> InvokeAsync(HubConnection connection, HubRow row)
    {
        try
        {
            await connection.InvokeCoreAsync(row.Method, row.Args(fixture.Scenario));
            return Outcome.Allowed;
        }
        catch (HubException)
        {
            return Outcome.NotFound;
        }
    }

    /// <summary>A hub refuses with a HubException whether the REST twin would say 403 or 404.</summary>
    private static Outcome Refusal(Outcome expected) => expected == Outcome.Forbidden ? Outcome.NotFound : expected;
}
