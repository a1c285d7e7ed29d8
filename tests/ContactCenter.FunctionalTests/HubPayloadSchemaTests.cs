using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using ContactCenter.Api.Realtime;
using ContactCenter.FunctionalTests.Infrastructure;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// Every event of `/hubs/inbox` (a method of <see cref="IInboxClient"/>, read here by reflection) sends a record that
/// /openapi/v1.json describes as a component schema named after the type, so the web app's hub handlers are typed from
/// the generated schema like its REST calls. An event whose payload is missing (or is a bare `object`) fails here.
/// </summary>
public sealed class HubPayloadSchemaTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Every_hub_event_payload_type_is_a_component_schema_of_the_document()
    {
        var schemas = await SchemasAsync();

        var missing = Missing(schemas, HubEvents());

        Assert.True(missing.Count == 0, "Hub event payloads missing from components.schemas of /openapi/v1.json:\n" + string.Join("\n", missing));
        Assert.True(HubEvents().Count() > 10, "IInboxClient was read as having almost no events");
    }

    /// <summary>The check above can fail: an event whose record the document does not know is named, and only it.</summary>
    [Fact]
    public async Task The_payload_check_names_an_event_whose_record_the_document_lacks()
    {
        var schemas = await SchemasAsync();
        var events = HubEvents().Append(("somethingNew", typeof(UndescribedPayload)));

        var missing = Missing(schemas, events);

        Assert.Equal(["somethingNew(UndescribedPayload): no component schema"], missing);
    }

    private sealed record UndescribedPayload(long Id);

    /// <summary>Events (as "event(Type): why") whose payload is not an object schema with the record's properties.</summary>
    private static List<string> Missing(JsonObject schemas, IEnumerable<(string Event, Type Payload)> events)
    {
        var missing = new List<string>();
        foreach (var (name, payload) in events)
        {
            // A name the host uses twice has its declaring type's name in front (SchemaIds).
            if ((schemas[payload.Name] ?? schemas[payload.DeclaringType?.Name + payload.Name]) is not JsonObject schema)
            {
                missing.Add($"{name}({payload.Name}): no component schema");
                continue;
            }
            var described = schema["properties"]?.AsObject().Select(p => p.Key).ToHashSet() ?? [];
            var lacking = payload.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => char.ToLowerInvariant(p.Name[0]) + p.Name[1..]).Where(p => !described.Contains(p)).ToList();
            if (lacking.Count > 0 || described.Count == 0)
            {
                missing.Add($"{name}({payload.Name}): the schema lacks {string.Join(", ", lacking.DefaultIfEmpty("every property"))}");
            }
        }
        return missing.Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<(string Event, Type Payload)> HubEvents() =>
        typeof(IInboxClient).GetMethods().SelectMany(m => m.GetParameters().Select(p => (m.Name, p.ParameterType)));

    private async Task<JsonObject> SchemasAsync()
    {
        using var http = fixture.App.Http();
        var response = await http.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["components"]!["schemas"]!.AsObject();
    }
}
