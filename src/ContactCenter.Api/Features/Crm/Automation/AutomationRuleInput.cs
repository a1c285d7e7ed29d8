using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>
/// The body of `POST /api/automation/rules` and `PUT /api/automation/rules/{id}` (a PUT replaces the rule whole). Read at
/// the API edge; <see cref="RuleParser"/> checks each part and answers a 400 naming the field. The trigger, conditions and
/// actions are tagged by their `type`/`field` and checked there against the triggers and actions this version knows.
/// </summary>
public sealed record AutomationRuleInput
{
    /// <summary>1 to 200 characters.</summary>
    public Optional<string?> Name { get; init; }

    /// <summary>Absent or null: enabled.</summary>
    public Optional<bool?> Enabled { get; init; }

    /// <summary>`{type: leadCreated | dealCreated | dealWon | dealLost (pipelineId?) | stageEntered (stageId) | inboundMessage (channelKind?) | noReply (minutes)}`.</summary>
    public Optional<JsonNode?> Trigger { get; init; }

    /// <summary>An ISO-8601 duration (PT10M, P1D) to wait before acting; absent: at once.</summary>
    public Optional<string?> Delay { get; init; }

    /// <summary>`[{field, op, value}]`, all of which must hold.</summary>
    public Optional<JsonNode?> Conditions { get; init; }

    /// <summary>1 to 20 of `{type: createActivity | sendMessage | notify | moveStage | assign | createDeal | addLabel, ...}`.</summary>
    public Optional<JsonNode?> Actions { get; init; }

    /// <summary>Other members: refused by name, except a rule's read-only `id`, `createdAt` and `updatedAt` (a rule as GET answers it may be sent back).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
