using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ContactCenter.UnitTests;

/// <summary>
/// `docker compose config` validates a compose file against the Compose Specification's JSON schema before anything
/// else; there is no Docker here, so the test does the same with the schema itself (compose-spec/compose-spec,
/// schema/compose-spec.json, copied into Deployment/ with its commit named in the project file).
/// </summary>
public sealed class ComposeSchemaTests
{
    private static readonly string Root = FindRoot();

    // Built once: the validator registers a schema by its $id, and refuses a second one under the same id.
    // The schema names draft 7 by its https address; the validator knows draft 7 by the meta-schema's own id.
    private static readonly JsonSchema Schema = JsonSchema.FromText(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Deployment", "compose-spec.json"))
            .Replace("\"https://json-schema.org/draft-07/schema\"", "\"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal));

    [Fact]
    public void The_shipped_compose_file_passes_the_compose_specification_schema()
    {
        var errors = Validate(File.ReadAllText(Path.Combine(Root, "docker", "compose.yaml")));

        Assert.Empty(errors);
    }

    [Theory]
    // A misspelt key, a key at the wrong level, a value of the wrong type: each is what `docker compose config` refuses.
    [InlineData("  healthcheck:\n", "  healthchek:\n")]
    [InlineData("name: contactcenter\n", "name: contactcenter\nnetwork_mode: host\n")]
    [InlineData("    retries: 3\n", "    retries: [3]\n")]
    public void The_check_refuses_what_the_specification_refuses(string shipped, string broken)
    {
        var text = File.ReadAllText(Path.Combine(Root, "docker", "compose.yaml"));
        Assert.Contains(shipped, text);

        var errors = Validate(ReplaceFirst(text, shipped, broken));

        Assert.NotEmpty(errors);
    }

    private static List<string> Validate(string yamlText)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(yamlText));
        var instance = JsonSerializer.SerializeToElement(ToJson(yaml.Documents[0].RootNode));
        var result = Schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return result.IsValid
            ? []
            : (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")).DefaultIfEmpty("invalid").ToList();
    }

    /// <summary>YAML as compose reads it: merge keys applied, plain scalars typed by the YAML 1.2 core schema.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => Mapping(map),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}"),
    };

    private static JsonObject Mapping(YamlMappingNode map)
    {
        var json = new JsonObject();
        if (map.Children.TryGetValue("<<", out var bases))
        {
            foreach (var b in bases is YamlSequenceNode list ? list.Children : [bases])
            {
                foreach (var (k, v) in Mapping((YamlMappingNode)b))
                {
                    json[k] = v?.DeepClone();
                }
            }
        }
        foreach (var (k, v) in map.Children.Where(c => ((YamlScalarNode)c.Key).Value != "<<"))
        {
            json[((YamlScalarNode)k).Value!] = ToJson(v);
        }
        return json;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            _ => JsonValue.Create(value),
        };
    }

    private static string ReplaceFirst(string text, string what, string with)
    {
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return text[..at] + with + text[(at + what.Length)..];
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
}
