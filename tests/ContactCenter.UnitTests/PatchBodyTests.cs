using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;

namespace ContactCenter.UnitTests;

/// <summary>
/// A PATCH body read into its typed record with the app's JSON options: a field left out, sent as null, sent with a value,
/// or sent with the wrong JSON type stay four different things (the services answer each as they did from raw JSON).
/// </summary>
public sealed class PatchBodyTests
{
    private static readonly JsonSerializerOptions Options = Web();

    private static JsonSerializerOptions Web()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonDefaults.Apply(options);
        return options;
    }

    private static DealPatch Deal(string json) => JsonSerializer.Deserialize<DealPatch>(json, Options)!;

    [Fact]
    public void A_field_left_out_is_absent_and_null_is_a_value()
    {
        var patch = Deal("""{"assigneeId": null}""");

        Assert.False(patch.Title.IsPresent);
        Assert.True(patch.AssigneeId.IsSet);
        Assert.Null(patch.AssigneeId.Value);
        Assert.False(patch.HasMalformedField);
    }

    [Fact]
    public void Values_are_read_with_their_types_and_names_in_any_case()
    {
        var patch = Deal("""{"Title": "Big deal", "amount": 12.5, "currency": "eur", "stageId": 7, "amountFromProducts": true}""");

        Assert.Equal("Big deal", patch.Title.Value);
        Assert.Equal(12.5m, patch.Amount.Value);
        Assert.Equal("eur", patch.Currency.Value);
        Assert.Equal(7L, patch.StageId.Value);
        Assert.True(patch.AmountFromProducts.Value);
    }

    [Theory]
    [InlineData("""{"title": 5}""")]
    [InlineData("""{"title": {"a": 1}}""")]
    [InlineData("""{"currency": ["USD"]}""")]
    [InlineData("""{"amount": "12"}""")]
    [InlineData("""{"stageId": "7"}""")]
    [InlineData("""{"stageId": 7.5}""")]
    [InlineData("""{"contactId": true}""")]
    [InlineData("""{"assigneeId": 99999999999999999999}""")]
    public void A_plain_field_of_the_wrong_json_type_is_malformed_not_an_error(string json)
    {
        var patch = Deal(json);

        Assert.True(patch.HasMalformedField);
    }

    /// <summary>
    /// As ASP.NET Core reads a body from its pipe (`application/json; charset=utf-8`, what HttpClient sends): the converter
    /// sees a reader that is not the final block, where skipping a wrong-typed value once threw ("not valid JSON" instead
    /// of the field's own 400).
    /// </summary>
    [Theory]
    [InlineData("""{"ids": [1, 2, 3], "assigneeId": "m1"}""")]
    [InlineData("""{"ids": [1, 2, 3], "assigneeId": {"id": 1, "name": ["a", "b"]}}""")]
    public async Task A_wrong_typed_field_read_from_a_pipe_in_pieces_is_malformed_not_an_error(string json)
    {
        var pipe = new System.IO.Pipelines.Pipe();
        var bytes = System.Text.Encoding.UTF8.GetBytes(json);
        var reading = JsonSerializer.DeserializeAsync<DealBulkInput>(pipe.Reader, Options).AsTask();
        foreach (var piece in bytes.Chunk(5))
        {
            await pipe.Writer.WriteAsync(piece);
        }
        // The end of the body comes later (a chunked request's last chunk): meanwhile the whole object is read from a
        // buffer that is not yet the final block.
        await Task.Delay(200);
        await pipe.Writer.CompleteAsync();

        var body = (await reading)!;

        Assert.True(body.AssigneeId.IsMalformed);
        Assert.Equal([1L, 2L, 3L], body.Ids!);
        Assert.Null(body.Unknown);
    }

    [Fact]
    public void A_malformed_field_is_present_but_not_set_and_the_rest_of_the_body_is_read()
    {
        var patch = Deal("""{"companyId": "3", "amountFromProducts": "yes", "title": "Kept"}""");

        Assert.True(patch.CompanyId is { IsMalformed: true, IsSet: false, IsPresent: true });
        Assert.True(patch.AmountFromProducts.IsMalformed);
        Assert.Equal("Kept", patch.Title.Value);
    }

    [Fact]
    public void Json_valued_fields_take_any_json_and_keep_it()
    {
        var patch = Deal("""{"fields": {"size": 3, "tag": null}, "products": [{"name": "A", "price": 1}], "sourceDetails": null}""");

        Assert.Equal(3, patch.Fields.Value!["size"]!.GetValue<int>());
        Assert.True(patch.Fields.Value.AsObject().ContainsKey("tag"));
        Assert.IsType<JsonArray>(patch.Products.Value);
        Assert.True(patch.SourceDetails is { IsSet: true, Value: null });
    }

    [Fact]
    public void A_lead_patch_marks_its_own_plain_fields_and_keeps_a_bad_status_id_for_its_own_answer()
    {
        var patch = JsonSerializer.Deserialize<LeadPatch>("""{"status": "in_work", "statusId": "x"}""", Options)!;

        Assert.False(patch.HasMalformedField);
        Assert.True(patch.StatusId.IsMalformed);
        Assert.True(JsonSerializer.Deserialize<LeadPatch>("""{"assigneeId": "7"}""", Options)!.HasMalformedField);
    }

    [Fact]
    public void An_activity_due_time_is_read_from_an_iso_string_and_anything_else_is_malformed()
    {
        var due = JsonSerializer.Deserialize<ActivityPatch>("""{"dueAt": "2026-12-03T10:00:00+03:00"}""", Options)!;
        var cleared = JsonSerializer.Deserialize<ActivityPatch>("""{"dueAt": null, "description": null}""", Options)!;

        Assert.Equal(new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero), due.DueAt.Value);
        Assert.True(cleared.DueAt is { IsSet: true, Value: null } && cleared.Description is { IsSet: true, Value: null });
        Assert.False(cleared.HasMalformedField);
        Assert.True(JsonSerializer.Deserialize<ActivityPatch>("""{"dueAt": "tomorrow"}""", Options)!.HasMalformedField);
        Assert.True(JsonSerializer.Deserialize<ActivityPatch>("""{"dueAt": 1764748800}""", Options)!.HasMalformedField);
        Assert.True(JsonSerializer.Deserialize<ActivityPatch>("""{"description": 5}""", Options)!.HasMalformedField);
    }
}
