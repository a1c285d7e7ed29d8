using System.Globalization;
using System.Text.Json.Nodes;

namespace ContactCenter.Api.Features.Crm.Automation;

/// <summary>
/// Which rules' actions can raise which rules' triggers: moveStage(s) raises stageEntered(s); createDeal(p, s) raises
/// dealCreated(p) and stageEntered(s). Other actions raise no trigger. A cycle through a rule means it could run itself forever.
/// </summary>
public static class RuleGraph
{
    public sealed record Node(long Id, string Name, JsonObject Trigger, JsonArray Actions);

    private sealed record Raised(string Type, long PipelineId, long StageId);

    /// <summary>The names along a loop from <paramref name="rule"/> back to itself, or null.</summary>
    public static IReadOnlyList<string>? FindCycle(Node rule, IReadOnlyList<Node> others, RuleRefs refs)
    {
        var all = others.Append(rule).ToList();
        var parent = new Dictionary<Node, Node>(ReferenceEqualityComparer.Instance);
        var queue = new Queue<Node>();
        queue.Enqueue(rule);
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        while (queue.Count > 0)
        {
            var from = queue.Dequeue();
            foreach (var to in all.Where(n => Raises(from, refs).Any(e => Matches(n.Trigger, e))))
            {
                if (ReferenceEquals(to, rule))
                {
                    var path = new List<string> { rule.Name };
                    for (var n = from; !ReferenceEquals(n, rule); n = parent[n])
                    {
                        path.Add(n.Name);
                    }
                    path.Add(rule.Name);
                    path.Reverse(1, path.Count - 2);
                    return path;
                }
                if (seen.Add(to))
                {
                    parent[to] = from;
                    queue.Enqueue(to);
                }
            }
        }
        return null;
    }

    private static IEnumerable<Raised> Raises(Node rule, RuleRefs refs)
    {
        foreach (var action in rule.Actions.OfType<JsonObject>())
        {
            var stageId = Long(action["stageId"]);
            if (stageId is null || !refs.Stages.TryGetValue(stageId.Value, out var stage))
            {
                continue;
            }
            switch (action["type"]?.GetValue<string>())
            {
                case "moveStage":
                    yield return new Raised("stageEntered", stage.PipelineId, stage.Id);
                    break;
                case "createDeal":
                    yield return new Raised("dealCreated", stage.PipelineId, stage.Id);
                    yield return new Raised("stageEntered", stage.PipelineId, stage.Id);
                    break;
            }
        }
    }

    private static bool Matches(JsonObject trigger, Raised e) =>
        trigger["type"]?.GetValue<string>() == e.Type
        && (trigger["pipelineId"] is null || Long(trigger["pipelineId"]) == e.PipelineId)
        && (trigger["stageId"] is null || Long(trigger["stageId"]) == e.StageId);

    // Ids may be in-memory values of any integer type or parsed JSON numbers.
    private static long? Long(JsonNode? node) => node is null ? null : long.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);
}
