namespace ContactCenter.Api.Features.Labels;

public static class LabelsExtensions
{
    public static IHostApplicationBuilder AddLabels(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LabelPushes>();
        builder.Services.AddSingleton<LabelStore>();
        builder.Services.AddSingleton<ConversationLabels>();
        return builder;
    }
}
