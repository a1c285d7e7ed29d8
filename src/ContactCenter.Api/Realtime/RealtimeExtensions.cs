using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace ContactCenter.Api.Realtime;

public static class RealtimeExtensions
{
    /// <summary>SignalR with camelCase JSON; with ConnectionStrings:Redis set, the Redis backplane carries pushes between nodes.</summary>
    public static IHostApplicationBuilder AddRealtime(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(o =>
            {
                o.EnableDetailedErrors = builder.Environment.IsDevelopment();
                o.AddFilter<HubRefusalLogging>();
            })
            .AddJsonProtocol(o => JsonDefaults.Apply(o.PayloadSerializerOptions));
        builder.Logging.AddFilter(HubRefusalLogging.Category, LogLevel.None);
        // The app's own manager with or without Redis: it keeps the groups that frames are written to (HubFrame), and
        // with ConnectionStrings:Redis set publishes through the app's shared Redis connection to the other nodes.
        builder.Services.AddSingleton(typeof(HubLifetimeManager<>), typeof(ResilientHubLifetimeManager<>));
        builder.Services.AddSingleton<AudienceDirectory>();
        builder.Services.AddSingleton<InboxNotifier>();
        builder.Services.AddSingleton<Core.ICustomerTyping>(sp => sp.GetRequiredService<InboxNotifier>());
        builder.Services.AddSingleton<Features.Conversations.IConversationPushes>(sp => sp.GetRequiredService<InboxNotifier>());
        builder.Services.AddSingleton<CounterChain>();
        builder.Services.AddSingleton<CounterPushes>();
        builder.Services.AddSingleton<Features.Conversations.ICurrentCounters>(sp => sp.GetRequiredService<CounterPushes>());
        builder.Services.AddSingleton<HubPushes>();
        builder.Services.AddSingleton<Features.Crm.ICrmPushes>(sp => sp.GetRequiredService<HubPushes>());
        builder.Services.AddSingleton<Features.Routing.IRoutingPushes>(sp => sp.GetRequiredService<HubPushes>());
        builder.Services.AddSingleton<Features.Notifications.INotificationPushes>(sp => sp.GetRequiredService<HubPushes>());
        builder.Services.AddSingleton<Features.Imports.IImportPushes>(sp => sp.GetRequiredService<HubPushes>());
        builder.Services.AddHostedService<BackplaneWatch>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRealtime(this IEndpointRouteBuilder app)
    {
        app.MapHub<InboxHub>("/hubs/inbox");
        return app;
    }
}
