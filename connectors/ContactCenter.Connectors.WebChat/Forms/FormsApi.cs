using System.Net;
using System.Text;
using ContactCenter.Connectors.WebChat.Sites;
using ContactCenter.Connectors.WebChat.Widget;
using ContactCenter.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Forms;

/// <summary>
/// `POST /api/forms/{formKey}`: a web form submission becomes an inbound message, and so a lead (or a deal in
/// simple CRM mode) with the fields on its timeline and the UTM tags/referrer as its source. JSON callers get
/// 201 `{leadId, dealId}`; a plain HTML form post gets 303 to the thank-you page.
/// </summary>
public static class FormsApi
{
    public sealed record Submitted(long? LeadId, long? DealId, long? ConversationId);

    public static IEndpointRouteBuilder MapFormsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/forms").AllowAnonymous().WithSiteCors().MapPost("/{formKey}", Submit);
        return app;
    }

    private static async Task<IResult> Submit(string formKey, HttpContext http, IChannelDirectory channels, SiteRateLimiter limiter,
        IInboundPipeline pipeline, IWebChatStore store, IOptions<WebChatOptions> options, IConfiguration configuration, ICallerTexts texts, CancellationToken ct)
    {
        // A plain browser post gets pages, not JSON: in the visitor's language (a Russian site's visitor read English).
        string Say(string english) => texts.InCallerLanguage(http.Request.Headers.AcceptLanguage.ToString(), english);
        var channel = await channels.FindByPublicKeyAsync(formKey, ct);
        if (WidgetChannels.Check(channel, http.Request, ChannelKinds.Webform) is { } refused)
        {
            return refused;
        }
        if (await limiter.HitAsync(("form-ip", SiteRateLimiter.ClientIp(http), options.Value.FormsPerIp)) is { } wait)
        {
            return SiteRateLimiter.TooMany(http, wait);
        }
        var (submission, status, error) = await FormSubmission.ReadAsync(http.Request, ct);
        if (submission is null)
        {
            return TypedResults.Problem(error, statusCode: status);
        }
        var browserPost = !http.Request.HasJsonContentType();
        if (submission.IsBot)
        {
            return browserPost ? Thanks(submission.RedirectTarget(channel!, http.Request), Say) : TypedResults.Created((string?)null, new Submitted(null, null, null));
        }
        var errors = submission.Validate(FormFields.Of(channel!.Settings), options.Value, PhoneRegion(configuration), out var accepted);
        if (errors.Count > 0)
        {
            return browserPost && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
                ? ErrorPage(errors, Say)
                : TypedResults.ValidationProblem(errors, detail: "Some fields are not valid.");
        }
        var result = await pipeline.IngestAsync(submission.ToInbound(channel, accepted, http.Request), ct);
        if (browserPost)
        {
            return Thanks(submission.RedirectTarget(channel, http.Request), Say);
        }
        var (leadId, dealId) = await store.CrmOfConversationAsync(result.ConversationId, ct);
        return TypedResults.Created((string?)null, new Submitted(leadId, dealId, result.ConversationId));
    }

    /// <summary>The installation's country for phone numbers people type (`Crm:PhoneRegion`, as the CRM reads it), or null.</summary>
    private static string? PhoneRegion(IConfiguration configuration) =>
        configuration["Crm:PhoneRegion"] is { Length: 2 } region && region.All(char.IsAsciiLetter) ? region.ToUpperInvariant() : null;

    private static IResult Thanks(string? target, Func<string, string> say) => target is null
        ? Results.Content(Page(say("Thank you"), $"<p>{WebUtility.HtmlEncode(say("We received your request and will get back to you soon."))}</p>"),
            "text/html; charset=utf-8")
        : new SeeOther(target);

    private static IResult ErrorPage(Dictionary<string, string[]> errors, Func<string, string> say)
    {
        var items = string.Concat(errors.Values.SelectMany(m => m).Select(m => $"<li>{WebUtility.HtmlEncode(say(m))}</li>"));
        return Results.Content(Page(say("Please check the form"), $"<ul>{items}</ul><p><a href=\"javascript:history.back()\">{WebUtility.HtmlEncode(say("Go back"))}</a></p>"),
            "text/html; charset=utf-8", Encoding.UTF8, StatusCodes.Status400BadRequest);
    }

    private static string Page(string title, string body) =>
        $"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>" +
        $"<body style=\"font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem\"><h1>{title}</h1>{body}</body></html>";

    /// <summary>303 See Other: the browser follows with a GET (a 302 would be ambiguous for a POST).</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
