using Microsoft.Extensions.Configuration.Json;

namespace ContactCenter.Api.Infrastructure;

public static class RepoRootSettings
{
    /// <summary>
    /// In Development the repository root's appsettings.Development.json (beside ContactCenter.sln) is loaded too,
    /// after the project's own appsettings files and before environment variables, so the environment still wins.
    /// </summary>
    public static IHostApplicationBuilder AddDevelopmentSettingsFromRepoRoot(this IHostApplicationBuilder builder)
    {
        if (!builder.Environment.IsDevelopment())
        {
            return builder;
        }
        for (var dir = new DirectoryInfo(builder.Environment.ContentRootPath); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "appsettings.Development.json");
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")) && File.Exists(file))
            {
                var sources = builder.Configuration.Sources;
                var index = sources.Select((s, i) => (s, i)).LastOrDefault(x => x.s is JsonConfigurationSource).i + 1;
                var source = new JsonConfigurationSource { Path = file, Optional = true, ReloadOnChange = false };
                source.ResolveFileProvider();
                sources.Insert(index, source);
                ((IConfigurationRoot)builder.Configuration).Reload();
                break;
            }
        }
        return builder;
    }
}
