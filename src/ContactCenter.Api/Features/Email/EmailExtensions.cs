using ContactCenter.Connectors.Email;

namespace ContactCenter.Api.Features.Email;

/// <summary>The email connector plus what it needs from the host: its store (mailboxes, leases, threads).</summary>
public static class EmailExtensions
{
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        builder.AddEmailConnector();
        builder.Services.AddSingleton<IEmailStore, EmailStore>();
        return builder;
    }
}
