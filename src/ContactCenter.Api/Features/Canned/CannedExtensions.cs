namespace ContactCenter.Api.Features.Canned;

/// <summary>Canned responses: the store, the variables and the routes.</summary>
public static class CannedExtensions
{
    public static IHostApplicationBuilder AddCannedResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CannedResponseStore>();
        builder.Services.AddSingleton<CannedVariables>();
        builder.Services.AddSingleton<CannedFilesApi.Copier>();
        return builder;
    }
}
