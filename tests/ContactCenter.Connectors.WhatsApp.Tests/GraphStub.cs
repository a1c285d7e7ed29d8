using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.Connectors.WhatsApp.Tests;

/// <summary>Canned answers of Meta's Graph API (Cloud API) on the WireMock stand-in, shaped like the published examples.</summary>
public static class GraphStub
{
    public const string Version = "/v21.0";

    public static string MessagesPath(WhatsAppFixture.WaChannel channel) => $"{Version}/{channel.PhoneNumberId}/messages";

    public static string ErrorJson(int code, string message, string? details = null) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["message"] = message, ["type"] = "OAuthException", ["code"] = code,
            ["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details ?? message },
            ["fbtrace_id"] = "AbCdEfGhIjKlMnOpQrStUvW",
        },
    }.ToJsonString();

    private static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    public static void PhoneNumber(this WireMockServer graph, WhatsAppFixture.WaChannel channel) =>
        graph.Given(Request.Create().WithPath($"{Version}/{channel.PhoneNumberId}").UsingGet()
                .WithHeader("Authorization", "Bearer " + channel.AccessToken))
            .RespondWith(Json(200, $$"""{"verified_name":"Sofa Shop","display_phone_number":"+1 555-078-3881","quality_rating":"GREEN","id":"{{channel.PhoneNumberId}}"}"""));

    public static string SentJson(string wamid) =>
        $$"""{"messaging_product":"whatsapp","contacts":[{"input":"{{WhatsAppFixture.CustomerWaId}}","wa_id":"{{WhatsAppFixture.CustomerWaId}}"}],"messages":[{"id":"{{wamid}}"}]}""";

    public static void Sent(this WireMockServer graph, WhatsAppFixture.WaChannel channel, string wamid) =>
        graph.Given(Request.Create().WithPath(MessagesPath(channel)).UsingPost()).RespondWith(Json(200, SentJson(wamid)));

    public static void MessagesError(this WireMockServer graph, WhatsAppFixture.WaChannel channel, int status, int code, string message, string? details = null) =>
        graph.Given(Request.Create().WithPath(MessagesPath(channel)).UsingPost()).RespondWith(Json(status, ErrorJson(code, message, details)));

    /// <summary>The messages endpoint answers the given responses in turn (the last one stays), e.g. a 503 and then a 200.</summary>
    public static void MessagesInTurn(this WireMockServer graph, WhatsAppFixture.WaChannel channel, params Action<IResponseBuilder>[] answers)
    {
        var scenario = "messages-" + channel.PhoneNumberId;
        for (var i = 0; i < answers.Length; i++)
        {
            var response = Response.Create();
            answers[i](response);
            var given = graph.Given(Request.Create().WithPath(MessagesPath(channel)).UsingPost()).InScenario(scenario);
            if (i > 0)
            {
                given = given.WhenStateIs($"step-{i}");
            }
            if (i < answers.Length - 1)
            {
                given = given.WillSetStateTo($"step-{i + 1}");
            }
            given.RespondWith(response);
        }
    }

    /// <summary>`GET /{media-id}` gives a URL on the stand-in (the channel's API host); the URL answers the bytes.</summary>
    public static void Media(this WireMockServer graph, WhatsAppFixture.WaChannel channel, string mediaId, byte[] content, string mimeType)
    {
        graph.Given(Request.Create().WithPath($"{Version}/{mediaId}").UsingGet().WithHeader("Authorization", "Bearer " + channel.AccessToken))
            .RespondWith(Json(200, $$"""{"messaging_product":"whatsapp","url":"{{graph.Url}}/whatsapp_business/attachments/?mid={{mediaId}}","mime_type":"{{mimeType}}","sha256":"x","file_size":{{content.Length}},"id":"{{mediaId}}"}"""));
        graph.Given(Request.Create().WithPath("/whatsapp_business/attachments/").WithParam("mid", mediaId).UsingGet()
                .WithHeader("Authorization", "Bearer " + channel.AccessToken))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", mimeType).WithBody(content));
    }

    /// <summary>`GET /{waba-id}/message_templates`: one approved template with two body parameters, one approved without, one pending.</summary>
    public static void Templates(this WireMockServer graph, WhatsAppFixture.WaChannel channel) =>
        graph.Given(Request.Create().WithPath($"{Version}/{channel.BusinessAccountId}/message_templates").UsingGet()
                .WithHeader("Authorization", "Bearer " + channel.AccessToken))
            .RespondWith(Json(200, """
                {"data":[
                  {"name":"order_update","parameter_format":"POSITIONAL","components":[
                     {"type":"HEADER","format":"TEXT","text":"Your order"},
                     {"type":"BODY","text":"Hello {{1}}, your order {{2}} is ready for delivery.","example":{"body_text":[["Sheena","#2041"]]}},
                     {"type":"FOOTER","text":"Sofa Shop"}],
                   "language":"en_US","status":"APPROVED","category":"UTILITY","id":"1081234567890123"},
                  {"name":"hello_world","parameter_format":"POSITIONAL","components":[
                     {"type":"BODY","text":"Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API."}],
                   "language":"en_US","status":"APPROVED","category":"UTILITY","id":"1081234567890124"},
                  {"name":"spring_sale","components":[{"type":"BODY","text":"Sale {{1}}"}],
                   "language":"ru","status":"PENDING","category":"MARKETING","id":"1081234567890125"}
                ],"paging":{"cursors":{"before":"MAZDZD","after":"MgZDZD"}}}
                """));

    public static List<ILogEntry> Sends(this WireMockServer graph, WhatsAppFixture.WaChannel channel) =>
        graph.LogEntries.Where(e => e.RequestMessage.Path == MessagesPath(channel) && e.RequestMessage.Method == "POST").ToList();

    public static JsonObject Json(this ILogEntry entry) => JsonNode.Parse(entry.RequestMessage.Body!)!.AsObject();
}
