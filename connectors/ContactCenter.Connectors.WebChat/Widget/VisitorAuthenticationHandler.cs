using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Connectors.WebChat.Widget;

public sealed class VisitorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, VisitorTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var visitor = tokens.ReadToken(Request.Query["access_token"].ToString()) ?? tokens.FromRequest(Request);
        return Task.FromResult(visitor is null
            ? AuthenticateResult.Fail("A valid visitor token is required.")
            : AuthenticateResult.Success(new AuthenticationTicket(VisitorAuth.Principal(visitor), VisitorAuth.Scheme)));
    }
}
