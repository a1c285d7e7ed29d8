using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// A hub connection's WebSocket request (`GET /hubs/...?id=...` with an upgrade) stays in the pipeline for the
/// connection's whole life, so what the pipeline keeps per request is kept per connected user, thousands at a time on
/// a node. The middleware that only matter before a response starts skip it (<see cref="PlatformExtensions.UsePlatform"/>),
/// and it is authenticated and authorized here instead of by the two middleware.
/// </summary>
public static class HubSockets
{
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";
    private const string AuthorizationMiddlewareInvokedKey = "__AuthorizationMiddlewareWithEndpointInvoked";

    /// <summary>
    /// A WebSocket request under /hubs, told from the request itself: `HttpContext.WebSockets` says nothing this early
    /// (the WebSocket feature is added by the hub's own endpoint pipeline, after routing).
    /// </summary>
    public static bool Is(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true } connect)
        {
            return string.Equals(connect.Protocol, "websocket", StringComparison.OrdinalIgnoreCase);
        }
        return HttpMethods.IsGet(request.Method) && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true }
            && request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The authentication and authorization middleware for every other request, this for hub sockets: the same scheme,
    /// checks and outcome. `AuthenticateAsync` runs the JWT handler with its events (the token from the query string,
    /// the session check and its compact principal), and the endpoint's policy is evaluated the way the authorization
    /// middleware does it: a refusal is the same challenge (401 with `WWW-Authenticate: Bearer`) or forbid, and the rest
    /// of the pipeline is not run. What differs is what the request keeps afterwards. Each middleware awaits the rest
    /// of the pipeline (its frame, with the services it resolved in the request's services), and the authentication
    /// result with its ticket is stored in the request's features. Here both run in services of their own, disposed once
    /// they have answered, nothing but the principal is kept, and the rest of the pipeline is called without a frame
    /// when the checks completed at once (the usual case: the node checked the token's session a moment ago, for the
    /// negotiate request).
    /// </summary>
    public static IApplicationBuilder UseAuthenticationAndAuthorization(this IApplicationBuilder app)
    {
        var scopes = app.ApplicationServices.GetRequiredService<IServiceScopeFactory>();
        app.UseWhen(context => !Is(context), branch =>
        {
            branch.UseAuthentication();
            branch.UseAuthorization();
        });
        // What the two mark on the builder they are called on; the branch's marks do not reach this one, and without
        // them WebApplication would add both again, for every request, at the start of the pipeline.
        app.Properties[AuthenticationMiddlewareSetKey] = true;
        app.Properties[AuthorizationMiddlewareSetKey] = true;
        return app.Use((context, next) =>
        {
            if (!Is(context))
            {
                return next(context);
            }
            var checking = CheckAsync(context, scopes);
            return checking.IsCompletedSuccessfully
                ? checking.Result ? next(context) : Task.CompletedTask
                : ThenAsync(checking, context, next);
        });
    }

    private static async Task ThenAsync(Task<bool> checking, HttpContext context, RequestDelegate next)
    {
        if (await checking)
        {
            await next(context);
        }
    }

    /// <summary>True when the request may go on; false when it has been answered with a challenge or a forbid.</summary>
    private static async Task<bool> CheckAsync(HttpContext context, IServiceScopeFactory scopes)
    {
        var requestServices = context.Features.Get<IServiceProvidersFeature>();
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        context.Features.Set<IServiceProvidersFeature>(new ServiceProvidersFeature { RequestServices = services });
        try
        {
            var result = await context.AuthenticateAsync();
            if (result.Principal is { } principal)
            {
                context.User = principal;
            }
            // The policy as the authorization middleware builds it: the endpoint's authorize data and policies (or the
            // fallback policy), its requirement data, and anonymous endpoints let through.
            var endpoint = context.GetEndpoint();
            if (endpoint is not null)
            {
                // The endpoint middleware refuses to run an endpoint with authorization metadata unless this is set.
                context.Items[AuthorizationMiddlewareInvokedKey] = true;
            }
            var policy = await AuthorizationPolicy.CombineAsync(services.GetRequiredService<IAuthorizationPolicyProvider>(),
                endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>() ?? [], endpoint?.Metadata.GetOrderedMetadata<AuthorizationPolicy>() ?? []);
            if (endpoint?.Metadata.GetOrderedMetadata<IAuthorizationRequirementData>() is { Count: > 0 } requirementData)
            {
                var requirements = new AuthorizationPolicyBuilder();
                foreach (var data in requirementData)
                {
                    requirements.AddRequirements([.. data.GetRequirements()]);
                }
                policy = policy is null ? requirements.Build() : AuthorizationPolicy.Combine(policy, requirements.Build());
            }
            if (policy is null || endpoint?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                return true;
            }
            var evaluator = services.GetRequiredService<IPolicyEvaluator>();
            var authenticated = await evaluator.AuthenticateAsync(policy, context);
            var authorized = await evaluator.AuthorizeAsync(policy, authenticated, context, context);
            if (authorized.Succeeded)
            {
                return true;
            }
            await services.GetRequiredService<IAuthorizationMiddlewareResultHandler>()
                .HandleAsync(_ => Task.CompletedTask, context, policy, authorized);
            return false;
        }
        catch (Exception exception) when (!context.Response.HasStarted)
        {
            // What the exception handler middleware, which sockets skip, would do: the app's handler answers (storage
            // away: 503 with Retry-After and a warning, not an error log per reconnect attempt).
            foreach (var handler in services.GetServices<IExceptionHandler>())
            {
                if (await handler.TryHandleAsync(context, exception, context.RequestAborted))
                {
                    return false;
                }
            }
            throw;
        }
        finally
        {
            context.Features.Set(requestServices);
        }
    }
}
