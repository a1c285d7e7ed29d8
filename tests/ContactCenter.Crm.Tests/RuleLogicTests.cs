using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Crm.Automation;

namespace ContactCenter.Crm.Tests;

/// <summary>The pure parts of automation: durations, conditions, placeholders, the loop graph.</summary>
public sealed class RuleLogicTests
{
    [Theory]
    [InlineData("PT10M", true)]
    [InlineData("P3M", true)]
    [InlineData("P1Y2M3DT4H5M6S", true)]
    [InlineData("P2W", true)]
    [InlineData("P", false)]
    [InlineData("PT", false)]
    [InlineData("3 months", false)]
    [InlineData("P1.5D", false)]
    [InlineData("-P1D", false)]
    public void Iso_durations_are_validated(string value, bool valid) => Assert.Equal(valid, IsoDuration.IsValid(value));

    private static readonly SubjectContext Deal = new()
    {
        Type = "deal", Id = 7, Title = "Sofa", Amount = 1500m, Currency = "EUR", PipelineId = 1, StageId = 3,
        ContactName = "Maria", AssigneeName = "Bob", Source = "api",
    };

    private static JsonArray Conditions(params (string Field, string Op, JsonNode Value)[] items) =>
        new(items.Select(c => (JsonNode)new JsonObject { ["field"] = c.Field, ["op"] = c.Op, ["value"] = c.Value }).ToArray());

    [Fact]
    public void Conditions_compare_numbers_as_numbers_and_text_without_case()
    {
        var ev = new JsonObject { ["channelKind"] = "telegram" };
        Assert.True(Deal.Matches(Conditions(("amount", "gt", 999.99m), ("amount", "lte", "1500")), ev));
        Assert.False(Deal.Matches(Conditions(("amount", "gt", 1500)), ev));
        Assert.True(Deal.Matches(Conditions(("channelKind", "eq", "Telegram"), ("stageId", "ne", 4)), ev));
        Assert.True(Deal.Matches(Conditions(("source", "contains", "AP")), ev));
        Assert.False(Deal.Matches(Conditions(("channelKind", "eq", "sms")), new JsonObject()));
        Assert.True(Deal.Matches(new JsonArray(), ev));
    }

    [Fact]
    public void Placeholders_are_filled_from_the_subject() =>
        Assert.Equal("Maria: Sofa for 1500 EUR ({unknown}) by Bob", Deal.Render("{contact.name}: {deal.title} for {deal.amount} {deal.currency} ({unknown}) by {assignee.name}"));

    [Fact]
    public void The_graph_finds_loops_through_other_rules_and_ignores_unrelated_ones()
    {
        var refs = new RuleRefs(new Dictionary<long, StageRow>
        {
            [1] = new(1, 1, "New", "open", 1), [2] = new(2, 1, "Offer", "open", 2), [3] = new(3, 2, "Start", "open", 1),
        }, new HashSet<long> { 1, 2 }, new HashSet<long>());
        RuleGraph.Node Rule(long id, string name, JsonObject trigger, params JsonObject[] actions) => new(id, name, trigger, new JsonArray(actions));
        var toOffer = new JsonObject { ["type"] = "moveStage", ["stageId"] = 2 };
        var tunnel = new JsonObject { ["type"] = "createDeal", ["pipelineId"] = 2, ["stageId"] = 3 };
        var a = Rule(1, "A", new JsonObject { ["type"] = "stageEntered", ["stageId"] = 1 }, toOffer);
        var b = Rule(2, "B", new JsonObject { ["type"] = "stageEntered", ["stageId"] = 2 }, tunnel);
        var c = Rule(3, "C", new JsonObject { ["type"] = "dealCreated", ["pipelineId"] = 2 }, new JsonObject { ["type"] = "moveStage", ["stageId"] = 1 });
        var wonToTunnel = Rule(4, "Repeat", new JsonObject { ["type"] = "dealWon" }, tunnel.DeepClone().AsObject());

        Assert.Equal(["C", "A", "B", "C"], RuleGraph.FindCycle(c, [a, b], refs));
        Assert.Null(RuleGraph.FindCycle(b, [a], refs));
        Assert.Null(RuleGraph.FindCycle(wonToTunnel, [a, b, c], refs));
    }
}
