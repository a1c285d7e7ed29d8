using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ContactCenter.UnitTests;

/// <summary>
/// There is no Docker daemon here, so the shipped compose file, nginx configuration and Dockerfile are checked as
/// files: what `docker compose config` would refuse (unknown references, missing files) and what the deployment
/// promises (non-root, read-only root, health checks gating nginx, /metrics not proxied, secrets required not defaulted).
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Root = FindRoot();
    private static readonly string Docker = Path.Combine(Root, "docker");

    [Fact]
    public void The_compose_file_references_only_what_it_defines_and_gates_nginx_on_healthy_nodes()
    {
        var compose = Load("compose.yaml");
        var services = (YamlMappingNode)compose["services"];
        var names = services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        Assert.Superset(new HashSet<string> { "postgres", "redis", "api1", "api2", "nginx" }, names);
        var volumes = ((YamlMappingNode)compose["volumes"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();

        foreach (var (key, value) in services.Children)
        {
            var service = Merged((YamlMappingNode)value);
            var name = ((YamlScalarNode)key).Value!;
            Assert.True(service.Children.ContainsKey("image") || service.Children.ContainsKey("build"), $"{name} has neither image nor build");
            if (service.Children.TryGetValue("depends_on", out var deps))
            {
                var depNames = deps is YamlSequenceNode list
                    ? list.Children.Select(d => ((YamlScalarNode)d).Value!)
                    : ((YamlMappingNode)deps).Children.Keys.Select(k => ((YamlScalarNode)k).Value!);
                Assert.All(depNames, d => Assert.Contains(d, names));
            }
            if (service.Children.TryGetValue("volumes", out var mounts))
            {
                foreach (var mount in ((YamlSequenceNode)mounts).Children.Select(m => ((YamlScalarNode)m).Value!))
                {
                    var source = mount.Split(':')[0];
                    if (source.StartsWith('.'))
                    {
                        Assert.True(File.Exists(Path.Combine(Docker, source)) || Directory.Exists(Path.Combine(Docker, source)), $"{name} mounts missing {source}");
                    }
                    else
                    {
                        Assert.Contains(source, volumes);
                    }
                }
            }
        }

        foreach (var api in new[] { "api1", "api2" })
        {
            var node = Merged((YamlMappingNode)services[api]);
            var build = (YamlMappingNode)node["build"];
            Assert.True(File.Exists(Path.Combine(Docker, ((YamlScalarNode)build["context"]).Value!, ((YamlScalarNode)build["dockerfile"]).Value!)));
            Assert.Equal("true", ((YamlScalarNode)node["read_only"]).Value);
            Assert.Contains("/tmp", ((YamlSequenceNode)node["tmpfs"]).Children.Select(t => ((YamlScalarNode)t).Value));
            var probe = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)node["healthcheck"])["test"]).Children.Select(t => ((YamlScalarNode)t).Value));
            Assert.Contains("healthcheck", probe);
            Assert.Contains("/health/ready", probe);
            Assert.Equal("1654", ((YamlScalarNode)node["user"]).Value);
            var env = Merged((YamlMappingNode)node["environment"]);
            // Each node names itself (X-Node), differently from the other.
            Assert.Equal(api, ((YamlScalarNode)env["Node__Name"]).Value);
            // Secrets must be supplied, never defaulted in the file.
            Assert.Matches(@"^\$\{CC_JWT_KEY:\?", ((YamlScalarNode)env["Auth__JwtKey"]).Value!);
            Assert.Matches(@"^\$\{CC_ADMIN_PASSWORD:\?", ((YamlScalarNode)env["Bootstrap__AdminPassword"]).Value!);
            Assert.True(env.Children.ContainsKey("OTEL_EXPORTER_OTLP_ENDPOINT"));
        }

        foreach (var probed in new[] { "postgres", "redis", "api1", "api2" })
        {
            var check = (YamlMappingNode)Merged((YamlMappingNode)services[probed])["healthcheck"];
            Assert.NotEmpty(((YamlSequenceNode)check["test"]).Children);
        }
        var nginx = (YamlMappingNode)services["nginx"];
        Assert.Equal("true", ((YamlScalarNode)nginx["read_only"]).Value);
        Assert.Superset(new HashSet<string?> { "/var/cache/nginx", "/run" },
            ((YamlSequenceNode)nginx["tmpfs"]).Children.Select(t => ((YamlScalarNode)t).Value).ToHashSet());

        var nginxDeps = (YamlMappingNode)((YamlMappingNode)services["nginx"])["depends_on"];
        foreach (var api in new[] { "api1", "api2" })
        {
            Assert.Equal("service_healthy", ((YamlScalarNode)((YamlMappingNode)nginxDeps[api])["condition"]).Value);
        }
    }

    [Fact]
    public void Nginx_proxies_to_compose_services_keeps_hub_upgrades_and_never_forwards_metrics()
    {
        var conf = File.ReadAllText(Path.Combine(Docker, "nginx.conf"));
        var services = ((YamlMappingNode)Load("compose.yaml")["services"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        var upstreams = UpstreamServer().Matches(conf).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(upstreams);
        Assert.All(upstreams, u => Assert.Contains(u, services));
        Assert.Equal(conf.Count(c => c == '{'), conf.Count(c => c == '}'));
        Assert.Matches(@"location /hubs/ \{[^}]*proxy_set_header Upgrade", conf);
        Assert.Matches(@"location = /metrics \{\s*return 404;", conf);
    }

    [Fact]
    public void The_image_builds_web_and_api_in_stages_and_runs_as_a_non_root_user_with_a_health_check()
    {
        var lines = File.ReadAllLines(Path.Combine(Docker, "Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, stages.Count);
        Assert.Contains("node:", stages[0]);
        Assert.Contains("dotnet/sdk", stages[1]);
        Assert.Contains("dotnet/aspnet", stages[2]);
        var final = lines.SkipWhile(l => l != stages[2]).ToList();
        var user = final.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotContain("root", user);
        Assert.DoesNotMatch(@"USER\s+0\b", user);
        Assert.Contains(final, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal));
        // Writable on a read-only root even without compose's volumes and tmpfs.
        var volume = final.Single(l => l.StartsWith("VOLUME ", StringComparison.Ordinal));
        Assert.Contains("\"/var/lib/contactcenter/files\"", volume);
        Assert.Contains("\"/tmp\"", volume);
        Assert.Contains(final, l => l.Contains("ENTRYPOINT [\"dotnet\", \"ContactCenter.Api.dll\"]", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_file_the_Dockerfile_copies_from_the_build_context_exists()
    {
        Assert.True(File.Exists(Path.Combine(Docker, "Dockerfile.dockerignore")), "the Dockerfile's ignore file is missing");
        var copies = File.ReadAllLines(Path.Combine(Docker, "Dockerfile")).Select(l => l.Trim())
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copies);
        foreach (var copy in copies)
        {
            var parts = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var source in parts[1..^1])
            {
                // The build context is the repository root (compose: context "..").
                var directory = Path.Combine(Root, Path.GetDirectoryName(source) ?? "");
                var pattern = Path.GetFileName(source);
                var found = pattern is "" or "." ? Directory.Exists(directory)
                    : Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory, pattern).Any();
                Assert.True(found, $"{copy}: nothing matches {source} in the repository");
            }
        }
    }

    [Fact]
    public void The_local_cluster_runs_the_shipped_nginx_conf()
    {
        var script = File.ReadAllText(Path.Combine(Root, "scripts", "cluster.sh"));
        Assert.Contains("render_nginx_conf docker/nginx.conf", script);
        Assert.Contains("trap cleanup EXIT", script);
        Assert.Contains("ensure_nginx", File.ReadAllText(Path.Combine(Root, "test.sh")));
    }

    /// <summary>A mapping with YAML merge keys (`<<: *anchor`) applied, as compose applies them.</summary>
    private static YamlMappingNode Merged(YamlMappingNode node)
    {
        var merged = new YamlMappingNode();
        if (node.Children.TryGetValue("<<", out var bases))
        {
            foreach (var b in bases is YamlSequenceNode list ? list.Children : [bases])
            {
                foreach (var (k, v) in Merged((YamlMappingNode)b).Children)
                {
                    merged.Children[k] = v;
                }
            }
        }
        foreach (var (k, v) in node.Children.Where(c => ((YamlScalarNode)c.Key).Value != "<<"))
        {
            merged.Children[k] = v;
        }
        return merged;
    }

    private static YamlMappingNode Load(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Docker, file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (ContactCenter.sln) was not found above the test binaries.");
    }

    [GeneratedRegex(@"^\s*server\s+([A-Za-z0-9_-]+):\d+", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();
}
