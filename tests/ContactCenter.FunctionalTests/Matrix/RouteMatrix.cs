using ContactCenter.FunctionalTests.Infrastructure;
using Dapper;
using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>
/// THE authorization table: every route of the app's route table, called as every <see cref="Role"/>, with the answer
/// each role must get (<see cref="Expect"/>: allowed, 404, 403 or 401). A route may have several rows (cases), e.g. the
/// assigned manager's conversation and channel A's unassigned one. AuthorizationMatrixTests fails when a route of the
/// route table has no row, when a row names a route that does not exist, and lists every cell that answers otherwise.
/// Rows whose call changes or consumes its target work on a fresh object per cell, so the order of rows and roles
/// does not matter.
/// </summary>
public static partial class RouteMatrix
{
    public static readonly IReadOnlyList<RouteRow> Rows =
    [
        // ---- public: no user token; a token must change nothing -------------------------------------------
        // A fresh unknown email per cell: the per-account throttle would otherwise lock the one address after five cells.
        Row("POST", "/api/auth/login", Public, _ => Send("/api/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@test.local", password = "wrong-password" })),
        Row("POST", "/api/inbound/{channelId:long}", Public, c => Send($"/api/inbound/{c.S.ChannelA}", new { externalId = "unsigned", text = "x" }), "unsigned"),
        Row("POST", "/webhooks/telegram/{channelId:long}", Public, c => Send($"/webhooks/telegram/{c.S.ChannelA}", new { update_id = 1 }), "not a telegram channel"),
        Row("POST", "/webhooks/twilio/{channelId:long}", Public, c => Send($"/webhooks/twilio/{c.S.ChannelA}", new { }), "not an sms channel"),
        Row("POST", "/webhooks/twilio/{channelId:long}/status", Public, c => Send($"/webhooks/twilio/{c.S.ChannelA}/status", new { }), "not an sms channel"),
        Row("GET", "/webhooks/whatsapp/{channelId:long}", Public,
            c => Url($"/webhooks/whatsapp/{c.S.ChannelA}?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1"), "not a whatsapp channel"),
        Row("POST", "/webhooks/whatsapp/{channelId:long}", Public, c => Send($"/webhooks/whatsapp/{c.S.ChannelA}", new { }), "not a whatsapp channel"),
        Row("POST", "/webhooks/vk/{channelId:long}", Public, c => Send($"/webhooks/vk/{c.S.ChannelA}", new { type = "confirmation", group_id = 1 }), "not a vk channel"),
        Row("POST", "/webhooks/voice/{channelId:long}/", Public, c => Send($"/webhooks/voice/{c.S.ChannelA}", new { }), "not a voice channel"),
        Row("POST", "/webhooks/voice/{channelId:long}/dial", Public, c => Send($"/webhooks/voice/{c.S.ChannelA}/dial?next=1", new { }), "not a voice channel"),
        Row("POST", "/webhooks/voice/{channelId:long}/answered", Public, c => Send($"/webhooks/voice/{c.S.ChannelA}/answered?user=1", new { }), "not a voice channel"),
        Row("POST", "/webhooks/voice/{channelId:long}/status", Public, c => Send($"/webhooks/voice/{c.S.ChannelA}/status", new { }), "not a voice channel"),
        Row("POST", "/webhooks/voice/{channelId:long}/recording", Public, c => Send($"/webhooks/voice/{c.S.ChannelA}/recording", new { }), "not a voice channel"),
        Row("POST", "/webhooks/voice/{channelId:long}/outbound", Public, c => Send($"/webhooks/voice/{c.S.ChannelA}/outbound?to=%2B14155550123", new { }), "not a voice channel"),
        Row("GET", "/widget.js", Public, _ => Url("/widget.js")),
        Row("POST", "/api/widget/{widgetKey}/session", Public, _ => Send("/api/widget/no-such-key/session", new { })),
        Row("GET", "/api/widget/messages", Public, _ => Url("/api/widget/messages"), "no visitor token"),
        Row("POST", "/api/widget/messages", Public, _ => Send("/api/widget/messages", new { text = "x" }), "no visitor token"),
        Row("POST", "/api/widget/profile", Public, _ => Send("/api/widget/profile", new { name = "x" }), "no visitor token"),
        Row("POST", "/api/widget/prechat", Public, _ => Send("/api/widget/prechat", new { name = "x" }), "no visitor token"),
        Row("GET", "/api/widget/presence", Public, _ => Url("/api/widget/presence"), "no visitor token"),
        Row("POST", "/api/widget/offline", Public, _ => Send("/api/widget/offline", new { email = "x@example.com", text = "x" }), "no visitor token"),
        Row("POST", "/api/widget/attachments", Public, _ => Upload("/api/widget/attachments"), "no visitor token"),
        Row("POST", "/api/widget/csat", Public, _ => Send("/api/widget/csat", new { surveyId = 1, rating = 5 }), "no visitor token"),
        Row("GET", "/csat/{token}", Public, _ => Url("/csat/1.1.1.forged"), "a forged token"),
        Row("POST", "/csat/{token}", Public, _ => Send("/csat/1.1.1.forged", new { rating = 5 }), "a forged token"),
        Row("GET", "/api/widget/attachments/{id:long}", Public, _ => Url("/api/widget/attachments/1"), "no visitor token"),
        Row("POST", "/api/forms/{formKey}", Public, _ => Send("/api/forms/no-such-form", new { })),
        Row("OPTIONS", "/api/forms/{**rest}", Public, _ => Url("/api/forms/no-such-form")),
        Row("OPTIONS", "/api/widget/{**rest}", Public, _ => Url("/api/widget/messages")),
        Row("*", "/health/live", Public, _ => Url("/health/live")),
        Row("*", "/health/ready", Public, _ => Url("/health/ready")),
        Row("GET", "/openapi/{documentName}.json", Public, _ => Url("/openapi/v1.json"), "public metadata: the OpenAPI document"),
        // The web app's deep links are not a route (a fallback middleware after routing, WebAppHosting): InputBoundaryTests.

        // ---- the hubs' HTTP routes (the hub's methods have their own table, HubMatrix) -----------------------
        Row("*", "/hubs/inbox/negotiate", Signed, _ => Task.FromResult(new Call("/hubs/inbox/negotiate?negotiateVersion=1", Method: "POST"))),
        Row("*", "/hubs/inbox", Signed, _ => Url("/hubs/inbox"), "no connection id"),
        Row("*", "/hubs/widget/negotiate", VisitorsOnly, _ => Task.FromResult(new Call("/hubs/widget/negotiate?negotiateVersion=1", Method: "POST"))),
        Row("*", "/hubs/widget", VisitorsOnly, _ => Url("/hubs/widget"), "no connection id"),

        // ---- auth and users ---------------------------------------------------------------------------------
        Row("GET", "/api/auth/me", Signed, _ => Url("/api/auth/me")),
        Row("GET", "/api/users/", Signed, _ => Url("/api/users")),
        Row("POST", "/api/users/", AdminOnly, c => Send("/api/users", new { email = $"mx-{c.Unique}@test.local", name = "New", role = "manager", password = "password-1234" })),
        Row("GET", "/api/admin/jobs", AdminOnly, _ => Url("/api/admin/jobs")),

        // ---- conversations, messages, attachments -----------------------------------------------------------
        Row("GET", "/api/conversations/", Signed, _ => Url("/api/conversations")),
        Row("GET", "/api/counters", Signed, _ => Url("/api/counters")),
        // Message search answers every signed-in user; what it finds is filtered by visibility (SearchTests).
        Row("GET", "/api/search", Signed, _ => Url("/api/search?q=matrix")),
        Row("GET", "/api/search/records", Signed, _ => Url("/api/search/records?q=matrix")),
        Row("GET", "/api/conversations/{id:long}", Owner, c => Url($"/api/conversations/{c.S.Conversation}"), Taken),
        Row("GET", "/api/conversations/{id:long}", Members, c => Url($"/api/conversations/{c.S.OpenConversation}"), Open),
        Row("GET", "/api/conversations/{id:long}/messages", Owner, c => Url($"/api/conversations/{c.S.Conversation}/messages"), Taken),
        Row("GET", "/api/conversations/{id:long}/messages", Members, c => Url($"/api/conversations/{c.S.OpenConversation}/messages"), Open),
        Row("POST", "/api/conversations/{id:long}/messages", Owner,
            c => Send($"/api/conversations/{c.S.Conversation}/messages", new { text = "matrix reply", clientMessageId = "mx-" + c.Unique }), Taken),
        // A private note: a reply would assign the open conversation to its author.
        Row("POST", "/api/conversations/{id:long}/messages", Members,
            c => Send($"/api/conversations/{c.S.OpenConversation}/messages", new { text = "matrix note", clientMessageId = "mx-" + c.Unique, @private = true }), Open),
        // WhatsApp's composer routes on the scenario's (api) conversation: past authorization they answer 409 "not whatsapp".
        Row("GET", "/api/conversations/{id:long}/whatsapp/", Owner, c => Url($"/api/conversations/{c.S.Conversation}/whatsapp"), Taken),
        Row("GET", "/api/conversations/{id:long}/whatsapp/templates", Owner, c => Url($"/api/conversations/{c.S.Conversation}/whatsapp/templates"), Taken),
        Row("POST", "/api/conversations/{id:long}/whatsapp/template", Owner,
            c => Send($"/api/conversations/{c.S.Conversation}/whatsapp/template", new { name = "hello_world", language = "en_US" }), Taken),
        Row("POST", "/api/conversations/{id:long}/read", Owner, c => Send($"/api/conversations/{c.S.Conversation}/read", new { }), Taken),
        Row("POST", "/api/conversations/{id:long}/read", Members, c => Send($"/api/conversations/{c.S.OpenConversation}/read", new { }), Open),
        Row("POST", "/api/conversations/{id:long}/assign", Owner,
            c => Send($"/api/conversations/{c.S.Conversation}/assign", new { userId = c.S.UserIds[Role.Assigned] }), Taken + ", to its assignee again"),
        Row("POST", "/api/conversations/{id:long}/assign", Members,
            c => Send($"/api/conversations/{c.S.OpenConversation}/assign", new { userId = (long?)null }), Open + ", left unassigned"),
        Row("POST", "/api/conversations/{id:long}/status", Owner, c => Send($"/api/conversations/{c.S.Conversation}/status", new { status = "open" }), Taken),
        Row("POST", "/api/conversations/{id:long}/status", Members, c => Send($"/api/conversations/{c.S.OpenConversation}/status", new { status = "open" }), Open),
        Row("POST", "/api/conversations/{id:long}/snooze", Owner,
            c => Send($"/api/conversations/{c.S.Conversation}/snooze", new { until = DateTimeOffset.UtcNow.AddDays(2) }), Taken + ", snoozed"),
        Row("POST", "/api/conversations/{id:long}/snooze", Members,
            c => Send($"/api/conversations/{c.S.OpenConversation}/snooze", new { preset = "nextMorning" }), Open + ", snoozed to the next morning"),
        Row("POST", "/api/conversations/{id:long}/attachments", Owner, c => Upload($"/api/conversations/{c.S.Conversation}/attachments"), Taken),
        Row("POST", "/api/conversations/{id:long}/attachments", Members, c => Upload($"/api/conversations/{c.S.OpenConversation}/attachments"), Open),
        Row("GET", "/api/attachments/{id:long}", Owner, c => Url($"/api/attachments/{c.S.Attachment}"), "a file of the taken conversation's reply"),
        Row("POST", "/api/messages/{id:long}/retry", Owner, async c =>
        {
            await using var db = c.S.Fixture.Db();
            await db.ExecuteAsync("update messages set status = 'failed' where id = @id", new { id = c.S.Reply });
            return new Call($"/api/messages/{c.S.Reply}/retry", new { });
        }, "a failed reply in the taken conversation"),

        // ---- channels, presence, stats ----------------------------------------------------------------------
        Row("GET", "/api/channels/", Signed, _ => Url("/api/channels")),
        Row("GET", "/api/channels/{id:long}", Members, c => Url($"/api/channels/{c.S.ChannelA}"), "channel A"),
        Row("POST", "/api/channels/", AdminOnly, c => Send("/api/channels", new { kind = "api", name = "mx-" + c.Unique, settings = new { secret = "mx-secret-" + c.Unique + c.Unique } })),
        Row("PATCH", "/api/channels/{id:long}", AdminOnly, c => Send($"/api/channels/{c.S.SpareChannel}", new { name = "Spare" })),
        Row("POST", "/api/channels/{id:long}/members", AdminOnly, c => Send($"/api/channels/{c.S.SpareChannel}/members", new { userId = c.S.UserIds[Role.Outsider] })),
        Row("DELETE", "/api/channels/{id:long}/members/{userId:long}", AdminOnly, c => Url($"/api/channels/{c.S.SpareChannel}/members/{c.S.UserIds[Role.Outsider]}")),
        Row("DELETE", "/api/channels/{id:long}", AdminOnly, async c => new Call($"/api/channels/{await c.S.FreshChannelAsync()}"), "a fresh empty channel"),
        Row("POST", "/api/channels/{id:long}/archive", AdminOnly, async c => new Call($"/api/channels/{await c.S.FreshChannelAsync()}/archive", new { }), "a fresh channel"),
        Row("POST", "/api/channels/{id:long}/unarchive", AdminOnly, c => Send($"/api/channels/{c.S.SpareChannel}/unarchive", new { }), "not archived: no change"),
        Row("PUT", "/api/channels/{id:long}/members", AdminOnly, c => Send($"/api/channels/{c.S.SpareChannel}/members", new { userIds = new[] { c.S.UserIds[Role.Outsider] } })),
        Row("POST", "/api/channels/{id:long}/members/all-managers", AdminOnly,
            async c => new Call($"/api/channels/{await c.S.FreshChannelAsync()}/members/all-managers", new { }), "a fresh channel"),
        Row("POST", "/api/presence", Signed, _ => Send("/api/presence", new { status = "online" })),
        Row("GET", "/api/stats/response-times", Staff, _ => Url("/api/stats/response-times")),
        Row("GET", "/api/stats/queue", Staff, _ => Url("/api/stats/queue")),
        Row("GET", "/api/stats/funnel", Staff, _ => Url("/api/stats/funnel")),
        Row("GET", "/api/stats/calls", Staff, _ => Url("/api/stats/calls")),
        Row("GET", "/api/stats/csat", Staff, _ => Url("/api/stats/csat")),
        Row("GET", "/api/users/{id:long}/working-hours/", AdminOrSelf, c => Url($"/api/users/{c.S.UserIds[Role.Assigned]}/working-hours"), "the assigned manager's"),
        Row("PUT", "/api/users/{id:long}/working-hours/", AdminOrSelf,
            c => Task.FromResult(new Call($"/api/users/{c.S.UserIds[Role.Assigned]}/working-hours", new { workingHours = (object?)null }, Method: "PUT")), "the assigned manager's"),
        Row("GET", "/api/sms/segments", Signed, _ => Url("/api/sms/segments?text=hello")),

        // ---- CRM settings, pipelines, loss reasons, automation, leads, deals, activities: RouteMatrix.Crm.cs ----
        .. CrmRows,

        // ---- user lifecycle and contact merge ----
        Row("PATCH", "/api/users/{id:long}", AdminOnly, async c => new Call($"/api/users/{await c.S.FreshUserAsync()}", new { name = "Renamed" }), "a fresh user"),
        Row("PUT", "/api/users/{id:long}/phone", AdminOnly, async c => new Call($"/api/users/{await c.S.FreshUserAsync()}/phone", new { phone = "+14155550177" }, Method: "PUT"), "a fresh user"),
        Row("PATCH", "/api/me", Signed, _ => Task.FromResult(new Call("/api/me", new { phone = "" }, Method: "PATCH")), "clears the caller's own phone"),
        Row("POST", "/api/users/{id:long}/password", AdminOnly, async c => new Call($"/api/users/{await c.S.FreshUserAsync()}/password", new { password = "new-password-5678" }), "a fresh user"),
        Row("POST", "/api/auth/password", Signed, async c =>
        {
            await c.UseOwnAccountAsync();
            return new Call("/api/auth/password", new { currentPassword = MatrixScenario.OwnPassword, newPassword = "new-password-5678" });
        }, OwnAccount),
        Row("POST", "/api/auth/logout-all", Signed, async c =>
        {
            await c.UseOwnAccountAsync();
            return new Call("/api/auth/logout-all", new { });
        }, OwnAccount),
        Row("GET", "/api/admin/audit", AdminOnly, _ => Url("/api/admin/audit")),
        // The contact has no number and the caller no phone: 400 once the contact is visible, 404 (nothing said) otherwise.
        Row("POST", "/api/contacts/{id:long}/call", Owner, async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: true)}/call", new { }),
            "the assigned manager's contact"),
        Row("POST", "/api/contacts/{id:long}/merge", Owner, async c => Merge(await c.S.FreshContactAsync(taken: true), await c.S.FreshContactAsync(taken: true)),
            "two contacts of the assigned manager's conversations"),
        Row("POST", "/api/contacts/{id:long}/merge", Owner, async c => Merge(await c.S.FreshContactAsync(taken: true), await c.S.FreshContactAsync(taken: false)),
            "the assigned manager's contact, merged with one of an open conversation"),
        Row("POST", "/api/contacts/{id:long}/merge", Owner, async c => Merge(await c.S.FreshContactAsync(taken: false), await c.S.FreshContactAsync(taken: true)),
            "an open conversation's contact, merged with one of the assigned manager's"),

        // ---- canned responses (issue #16): rows in CannedMatrix ------------------------------------------------
        .. CannedMatrix.Rows,
        // ---- contacts, companies and CSV import (issue #17): rows in ContactsMatrix ----------------------------
        .. ContactsMatrix.Rows,
        // ---- CRM cards (issue #17): rows in CardsMatrix ---------------------------------------------------------
        .. CardsMatrix.Rows,
        // ---- custom fields and list views (issue #17): rows in FieldsMatrix ------------------------------------
        .. FieldsMatrix.Rows,
        // ---- sales reports (issue #17): rows in ReportsMatrix -------------------------------------------------
        .. ReportsMatrix.Rows,
        // The contact profile (issue #16): a contact is seen through one of its conversations, leads or deals.
        Row("GET", "/api/contacts/{id:long}", Owner, async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: true)}"),
            "the assigned manager's contact"),
        Row("GET", "/api/contacts/{id:long}", Members, async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: false)}"),
            "an open conversation's contact"),
        Row("PATCH", "/api/contacts/{id:long}", Owner, async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: true)}", new { name = "Matrix" }, Method: "PATCH"),
            "the assigned manager's contact"),
        Row("PATCH", "/api/contacts/{id:long}", Members, async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: false)}", new { name = "Matrix" }, Method: "PATCH"),
            "an open conversation's contact"),
        // ---- labels (issue #16) -----------------------------------------------------------------------------
        Row("GET", "/api/labels/", Signed, _ => Url("/api/labels")),
        Row("POST", "/api/labels/", Staff, c => Send("/api/labels", new { name = "mx-" + c.Unique, color = "#336699" })),
        Row("PATCH", "/api/labels/{id:long}", Staff, async c => new Call($"/api/labels/{await FreshLabelAsync(c)}", new { color = "#993366" }), FreshLabel),
        Row("DELETE", "/api/labels/{id:long}", Staff, async c => new Call($"/api/labels/{await FreshLabelAsync(c)}"), FreshLabel),
        Row("PUT", "/api/conversations/{id:long}/labels", Owner,
            async c => new Call($"/api/conversations/{c.S.Conversation}/labels", new { labelIds = new[] { await FreshLabelAsync(c) } }), Taken),
        Row("PUT", "/api/conversations/{id:long}/labels", Members,
            async c => new Call($"/api/conversations/{c.S.OpenConversation}/labels", new { labelIds = new[] { await FreshLabelAsync(c) } }), Open),
        Row("POST", "/api/conversations/labels", Owner,
            async c => new Call("/api/conversations/labels", new { conversationIds = new[] { c.S.OpenConversation, c.S.Conversation }, add = new[] { await FreshLabelAsync(c) } }),
            Open + " and " + Taken),
        Row("POST", "/api/conversations/labels", Members,
            async c => new Call("/api/conversations/labels", new { conversationIds = new[] { c.S.OpenConversation }, add = new[] { await FreshLabelAsync(c) } }), Open),
        Row("PUT", "/api/contacts/{id:long}/labels", Owner,
            async c => new Call($"/api/contacts/{await c.S.FreshContactAsync(taken: true)}/labels", new { labelIds = new[] { await FreshLabelAsync(c) } }),
            "the assigned manager's contact"),
        // ---- notifications (issue #16): every caller reads and changes only their own ----
        Row("GET", "/api/notifications/", Signed, _ => Url("/api/notifications")),
        Row("POST", "/api/notifications/read", Signed, _ => Send("/api/notifications/read", new { all = true })),
        Row("GET", "/api/me/settings", Signed, _ => Url("/api/me/settings")),
        Row("PUT", "/api/me/settings", Signed, _ => Task.FromResult(new Call("/api/me/settings", new { sound = true }, Method: "PUT"))),
        Row("GET", "/api/colleagues", Signed, _ => Url("/api/colleagues")),
        // A note mentioning the admin: allowed to whoever sees the conversation, 404 (nothing said) to the rest.
        Row("POST", "/api/conversations/{id:long}/messages", Owner,
            c => Send($"/api/conversations/{c.S.Conversation}/messages", new { text = "matrix mention", @private = true, mentionUserIds = new[] { c.S.UserIds[Role.Admin] } }), Taken + ", mention"),
    ];

    private const string Taken = "the assigned manager's conversation";
    private const string Open = "channel A's unassigned conversation";
    private const string TakenLead = "the assigned manager's lead";
    private const string TakenDeal = "the assigned manager's deal";
    private const string OpenLead = "the lead of channel A's unassigned conversation";
    private const string UnassignedLead = "unassigned lead of the assigned manager's conversation";
    private const string UnassignedDeal = "unassigned deal of the assigned manager's conversation";
    private const string FreshLead = "a fresh lead of the assigned manager";
    private const string FreshDeal = "a fresh deal of the assigned manager";
    private const string OwnAccount = "the caller's own (fresh) account";
    private const string FreshLabel = "a fresh label";

    private static RouteRow Row(string method, string pattern, Expect expect, Func<Cell, Task<Call>> build, string @case = "") => new(method, pattern, expect, build, @case);

    private static Task<Call> Url(string url) => Task.FromResult(new Call(url));

    private static Task<Call> Send(string url, object body) => Task.FromResult(new Call(url, body));

    private static Task<Call> Upload(string url) => Task.FromResult(new Call(url, Content: () =>
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent("matrix"u8.ToArray()), "file", "matrix.txt");
        return form;
    }));

    private static object NewActivity(string type, long id) =>
        new { subject = new { type, id }, type = "call", title = "Matrix call", dueAt = DateTimeOffset.UtcNow.AddDays(1) };

    private static async Task<long> FreshLabelAsync(Cell c)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>("insert into labels (name, color) values (@name, '#336699') returning id", new { name = "mx-label-" + c.Unique });
    }

    private static Call Merge(long id, long other) => new($"/api/contacts/{id}/merge", new { otherContactId = other });
}
