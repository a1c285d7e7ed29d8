using ContactCenter.Api.Auth;
using ContactCenter.Api.Features.Channels;
using ContactCenter.Api.Features.Conversations;
using ContactCenter.Api.Features.Routing;
using ContactCenter.Api.Features.Stats;
using ContactCenter.Api.Features.Users;
using ContactCenter.Api.Inbound;
using ContactCenter.Api.Outbound;
using ContactCenter.Api.Storage;
using ContactCenter.Core;

namespace ContactCenter.Api.Features;

public static class InboxExtensions
{
    /// <summary>The inbox: channels, the inbound pipeline, conversations, the outbox.</summary>
    public static IHostApplicationBuilder AddInbox(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<StorageOptions>().BindConfiguration("Storage");
        services.AddOptions<OutboxOptions>().BindConfiguration("Outbox")
            .Validate(o => o.MaxConcurrency >= 1 && o.MaxPerChannel >= 1 && o.BatchSize >= 1 && o.Lease >= TimeSpan.FromSeconds(1),
                "Outbox: MaxConcurrency, MaxPerChannel and BatchSize must be at least 1 and Lease at least a second.")
            .ValidateOnStart();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<Core.IAttachmentContent>(sp => sp.GetRequiredService<AttachmentStore>());
        services.AddSingleton<UploadSweeper>();
        services.AddSingleton<OrphanFileSweeper>();
        services.AddSingleton<ChannelStore>();
        services.AddSingleton<IChannelDirectory>(sp => sp.GetRequiredService<ChannelStore>());
        services.AddSingleton<IChannelCursors>(sp => sp.GetRequiredService<ChannelStore>());
        services.AddSingleton<ChannelKindRegistry>();
        services.AddSingleton<ChannelPublicUrls>();
        services.AddSingleton<InboundStore>();
        services.AddSingleton<InboundBatchStore>();
        services.AddSingleton<InboundBatcher>();
        services.AddSingleton<InboundPipeline>();
        services.AddSingleton<IInboundPipeline>(sp => sp.GetRequiredService<InboundPipeline>());
        services.AddSingleton<IUnhandledInboundSink>(sp => sp.GetRequiredService<InboundPipeline>());
        services.AddSingleton<ConversationQueries>();
        services.AddSingleton<MessageQueries>();
        services.AddSingleton<Search.SearchQueries>();
        services.AddSingleton<Search.RecordSearch>();
        services.AddSingleton<CountersQuery>();
        services.AddSingleton<ConversationService>();
        services.AddSingleton<ConversationActions>();
        services.AddSingleton<Users.DeactivatedWork>();
        services.AddSingleton<IReplyGuard, ChannelOpenGuard>();
        services.AddOptions<SnoozeOptions>().BindConfiguration("Snooze");
        services.AddSingleton<SnoozeService>();
        services.AddSingleton<IConversationNotes, SystemNotes>();
        services.AddSingleton<ICallerTexts, Infrastructure.CallerTexts>();
        services.AddSingleton<IOutboundProgress, OutboundProgress>();
        services.AddSingleton<IMessageStatusSink, MessageStatusSink>();
        services.AddSingleton<IOutboxHandler, SendHandler>();
        services.AddSingleton<IOutboxHandler, MediaFetchHandler>();
        services.AddOptions<SlaOptions>().BindConfiguration("Sla");
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<IChannelPresence, ChannelPresence>();
        services.AddHostedService<PresenceHeartbeat>();
        services.AddSingleton<ResponseTimes>();
        services.AddSingleton<QueueFeed>();
        services.AddSingleton<FunnelQuery>();
        services.AddSingleton<FunnelRollupCompactor>();
        services.AddSingleton<ResponseTimesQuery>();
        services.AddSingleton<Router>();
        services.AddSingleton<IOutboxHandler, PassHandler>();
        services.AddSingleton<SlaMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<SlaMonitor>());
        services.AddSingleton<OutboxItemRunner>();
        services.AddSingleton<OutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxWorker>());
        return builder;
    }

    public static IEndpointRouteBuilder MapInboxApi(this IEndpointRouteBuilder app)
    {
        app.MapAuthApi();
        app.MapUsersApi();
        Audit.AuditApi.MapAuditApi(app);
        app.MapChannelsApi();
        app.MapConversationsApi();
        app.MapStartConversationApi();
        Search.SearchApi.MapSearchApi(app);
        app.MapAttachmentsApi();
        app.MapStatsApi();
        return app;
    }
}
