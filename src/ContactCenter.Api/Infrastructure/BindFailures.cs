using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// A route or query value that does not parse into a nullable parameter (`?assigneeId=x` for a `long?`). The endpoints
/// are built by the Request Delegate Generator (Directory.Build.props), which answers that case alone with a bare 400,
/// where the runtime-built endpoints threw "Failed to bind parameter" (every other binding failure still throws). The
/// status code pages find the parameter from the endpoint's own binding metadata, and <see cref="ErrorHandling"/> answers
/// as it does for the thrown failures: "The value "x" is not valid for assigneeId." in the caller's language.
/// </summary>
public static class BindFailures
{
    private static readonly MethodInfo ParsesMethod = typeof(BindFailures).GetMethod(nameof(Parses), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static StatusCodePagesOptions StatusCodePages()
    {
        var options = new StatusCodePagesOptions();
        var fallback = options.HandleAsync;
        options.HandleAsync = async context =>
        {
            var http = context.HttpContext;
            if (http.Response.StatusCode == StatusCodes.Status400BadRequest && Find(http) is { } failure
                && http.RequestServices.GetServices<IExceptionHandler>().OfType<ErrorHandling>().FirstOrDefault() is { } errors
                && await errors.TryHandleAsync(http, failure, http.RequestAborted))
            {
                return;
            }
            await fallback(context);
        };
        return options;
    }

    /// <summary>The first parameter whose route or query value is there and does not parse, as ASP.NET Core words it.</summary>
    public static BadHttpRequestException? Find(HttpContext http)
    {
        if (http.GetEndpoint() is not { } endpoint)
        {
            return null;
        }
        foreach (var parameter in endpoint.Metadata.GetOrderedMetadata<IParameterBindingMetadata>())
        {
            if (!parameter.HasTryParse)
            {
                continue;
            }
            var raw = http.Request.RouteValues.TryGetValue(parameter.Name, out var routeValue)
                ? Convert.ToString(routeValue, CultureInfo.InvariantCulture)
                : (string?)http.Request.Query[parameter.Name];
            var type = parameter.ParameterInfo.ParameterType;
            var valueType = Nullable.GetUnderlyingType(type) ?? type;
            if (!string.IsNullOrEmpty(raw) && !TryParse(valueType, raw))
            {
                return new BadHttpRequestException($"Failed to bind parameter \"{valueType.Name} {parameter.Name}\" from \"{raw}\".");
            }
        }
        return null;
    }

    private static bool TryParse(Type type, string raw)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, raw, out _);
        }
        if (type.GetInterfaces().Contains(typeof(IParsable<>).MakeGenericType(type)))
        {
            return (bool)ParsesMethod.MakeGenericMethod(type).Invoke(null, [raw])!;
        }
        return true; // a type parsed some other way: not ours to judge
    }

    private static bool Parses<T>(string raw) where T : IParsable<T> => T.TryParse(raw, CultureInfo.InvariantCulture, out _);
}
