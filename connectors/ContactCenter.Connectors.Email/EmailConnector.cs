using ContactCenter.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ContactCenter.Connectors.Email;

public static class EmailConnector
{
    /// <summary>
    /// The `email` channel: IMAP readers (one per mailbox across nodes), SMTP sender, set-up checks. The host must register
    /// an <see cref="IEmailStore"/> (it owns the storage).
    /// </summary>
    public static IHostApplicationBuilder AddEmailConnector(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration("Email");
        builder.Services.AddSingleton<EmailReaderService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EmailReaderService>());
        builder.Services.AddSingleton<IChannelKindHandler, EmailChannelKind>();
        builder.Services.AddSingleton<IChannelSender, EmailChannelSender>();
        return builder;
    }
}
