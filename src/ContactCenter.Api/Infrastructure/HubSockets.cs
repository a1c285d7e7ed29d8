using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// A hub connection's WebSocket request (`GET /hubs/...?id=...` with an upgrade) stays in the pipeline for the
/// connection's whole life, so what the pipeline keeps per request is kept per connected user, thousands at a time on
/// a node. The middleware that only matter before a response starts skip it (<see cref="PlatformExtensions.UsePlatform"/>),
/// and it is authenticated here instead of by the authentication middleware.
/// </summary>
public static class HubSockets
{
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";

    public static bool Is(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest && context.Request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The authentication middleware for every other request, this for hub sockets: the same scheme and checks
    /// (`AuthenticateAsync` runs the JWT handler with its events: the token from the query string, the session check and
    /// its compact principal), and the same outcome, the principal in <see cref="HttpContext.User"/> where the token is
    /// good (the authorization middleware then lets the request through or challenges it as before). What differs is
    /// what the request keeps afterwards: the middleware awaits the rest of the pipeline (its frame, with the handler
    /// and the authentication service in the request's services) and stores the result with its ticket in the
    /// request's features. Here the handler runs in services of its own, disposed once it has answered, nothing but the
    /// principal is kept, and the rest of the pipeline is called without a frame when the check completed at once
    /// (a token whose session the node checked a moment ago for the negotiate request: the usual case).
    /// </summary>
    public static IApplicationBuilder UseHubSocketAuthentication(this IApplicationBuilder app)
    {
        var scopes = app.ApplicationServices.GetRequiredService<IServiceScopeFactory>();
        app.UseWhen(context => !Is(context), branch => branch.UseAuthentication());
        // What UseAuthentication marks on the builder it is called on; the branch's mark does not reach this one, and
        // without it WebApplication would add the middleware again, for every request, at the start of the pipeline.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        return app.Use((context, next) =>
        {
            if (!Is(context))
            {
                return next(context);
            }
            var authenticating = AuthenticateAsync(context, scopes);
            return authenticating.IsCompletedSuccessfully ? next(context) : ThenAsync(authenticating, context, next);
        });
    }

    private static async Task ThenAsync(Task authenticating, HttpContext context, RequestDelegate next)
    {
        await authenticating;
        await next(context);
    }

    private static async Task AuthenticateAsync(HttpContext context, IServiceScopeFactory scopes)
    {
        var requestServices = context.Features.Get<IServiceProvidersFeature>();
        await using var scope = scopes.CreateAsyncScope();
        context.Features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = scope.ServiceProvider });
        try
        {
            var result = await context.AuthenticateAsync();
            if (result.Principal is { } principal)
            {
                context.User = principal;
            }
        }
        finally
        {
            context.Features.Set(requestServices);
        }
    }
}
