namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// `Node:Name` (e.g. `Node__Name=api1` in compose, `node1`.. in scripts/cluster.sh): when set, every response, the hubs'
/// WebSocket upgrades included, says which node answered in `X-Node`, so an operator (and the two-node test) can see
/// where nginx sent a request. Unset, nothing is added: the header names a host only where the operator chose the name.
/// </summary>
public static class NodeHeader
{
    public const string Header = "X-Node";

    public static IApplicationBuilder UseNodeHeader(this WebApplication app)
    {
        if (app.Configuration["Node:Name"] is not { Length: > 0 } name)
        {
            return app;
        }
        // Set before the rest of the pipeline runs, since a WebSocket upgrade sends its 101 with the headers present at
        // that moment; and again when the response starts, since the exception handler clears headers for its problem.
        return app.Use((context, next) =>
        {
            context.Response.Headers[Header] = name;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[Header] = name;
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
