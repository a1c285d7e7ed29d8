using System.Net;
using WireMock.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactCenter.Connectors.Sms.Tests;

/// <summary>Canned answers of Twilio's Messages API on the WireMock stand-in.</summary>
public static class TwilioStub
{
    public static string CreatedJson(string sid, string accountSid) => $$"""
        {"sid":"{{sid}}","account_sid":"{{accountSid}}","status":"queued","direction":"outbound-api","num_segments":"1",
         "api_version":"2010-04-01","uri":"/2010-04-01/Accounts/{{accountSid}}/Messages/{{sid}}.json"}
        """;

    public static string ErrorJson(int code, int status, string message) =>
        $$"""{"code":{{code}},"message":"{{message}}","more_info":"https://www.twilio.com/docs/errors/{{code}}","status":{{status}}}""";

    public static void Created(this WireMockServer twilio, SmsFixture.SmsChannel channel, string sid) =>
        twilio.Given(Request.Create().WithPath(channel.MessagesPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(CreatedJson(sid, channel.AccountSid)));

    public static void Error(this WireMockServer twilio, SmsFixture.SmsChannel channel, int status, int code, string message) =>
        twilio.Given(Request.Create().WithPath(channel.MessagesPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(ErrorJson(code, status, message)));

    /// <summary>Answers the given responses in turn (the last one stays), e.g. a 429 and then a 201.</summary>
    public static void InTurn(this WireMockServer twilio, SmsFixture.SmsChannel channel, params Action<IResponseBuilder>[] answers)
    {
        var scenario = "messages-" + channel.AccountSid;
        for (var i = 0; i < answers.Length; i++)
        {
            var response = Response.Create();
            answers[i](response);
            var given = twilio.Given(Request.Create().WithPath(channel.MessagesPath).UsingPost()).InScenario(scenario);
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

    public static List<ILogEntry> Creates(this WireMockServer twilio, SmsFixture.SmsChannel channel) =>
        twilio.LogEntries.Where(e => e.RequestMessage.Path == channel.MessagesPath && e.RequestMessage.Method == "POST").ToList();

    public static Dictionary<string, string> Form(this ILogEntry entry) =>
        entry.RequestMessage.Body!.Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""));
}
