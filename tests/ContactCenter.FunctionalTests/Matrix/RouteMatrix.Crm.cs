using Dapper;
using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>The CRM's rows of <see cref="Rows"/>: settings, pipelines, loss reasons and automation, then leads, deals and activities.</summary>
public static partial class RouteMatrix
{
    /// <summary>
    /// A property, not a field: <see cref="Rows"/> reads it in its initializer, and the order of the field initializers of
    /// different parts of a partial class is not defined.
    /// </summary>
    private static IReadOnlyList<RouteRow> CrmRows =>
    [
        // ---- CRM settings, pipelines, loss reasons, automation ----------------------------------------------
        Row("GET", "/api/settings/crm/", AdminOnly, _ => Url("/api/settings/crm")),
        Row("PUT", "/api/settings/crm/", AdminOnly, _ => Send("/api/settings/crm", new { mode = "classic" }), "the mode it has"),
        Row("GET", "/api/crm/defaults", Signed, _ => Url("/api/crm/defaults")),
        Row("GET", "/api/pipelines/", Signed, _ => Url("/api/pipelines")),
        Row("GET", "/api/pipelines/{id:long}", Signed, c => Url($"/api/pipelines/{c.S.DefaultPipeline}")),
        Row("GET", "/api/pipelines/{id:long}/board", Signed, c => Url($"/api/pipelines/{c.S.DefaultPipeline}/board")),
        Row("POST", "/api/pipelines/", AdminOnly, c => Send("/api/pipelines", new { name = "mx-" + c.Unique })),
        Row("PUT", "/api/pipelines/{id:long}", AdminOnly, c => Send($"/api/pipelines/{c.S.SparePipeline}", new { name = "Spare pipeline" })),
        Row("DELETE", "/api/pipelines/{id:long}", AdminOnly, async c => new Call($"/api/pipelines/{await c.S.FreshPipelineAsync()}")),
        Row("GET", "/api/loss-reasons/", Signed, _ => Url("/api/loss-reasons")),
        Row("POST", "/api/loss-reasons/", AdminOnly, c => Send("/api/loss-reasons", new { name = "mx-" + c.Unique })),
        Row("PATCH", "/api/loss-reasons/{id:long}", AdminOnly, async c => new Call($"/api/loss-reasons/{await FreshLossReasonAsync(c)}", new { nameRu = "Матрица" }), "a fresh loss reason"),
        Row("DELETE", "/api/loss-reasons/{id:long}", AdminOnly, async c => new Call($"/api/loss-reasons/{await FreshLossReasonAsync(c)}"), "a fresh loss reason"),
        Row("GET", "/api/automation/rules/", AdminOnly, _ => Url("/api/automation/rules")),
        Row("POST", "/api/automation/rules/", AdminOnly, c => Send("/api/automation/rules", MatrixScenario.DisabledRule("mx-" + c.Unique))),
        Row("PUT", "/api/automation/rules/{id:long}", AdminOnly, c => Send($"/api/automation/rules/{c.S.Rule}", MatrixScenario.DisabledRule("Spare rule"))),
        Row("DELETE", "/api/automation/rules/{id:long}", AdminOnly, async c => new Call($"/api/automation/rules/{await c.S.FreshRuleAsync()}")),

        // ---- leads ------------------------------------------------------------------------------------------
        Row("GET", "/api/leads/", Signed, _ => Url("/api/leads")),
        Row("POST", "/api/leads/", Signed, _ => Send("/api/leads", new { contact = new { name = "Walk-in" } }), "a new contact"),
        Row("POST", "/api/leads/", Owner, c => Send("/api/leads", new { contactId = c.S.Contact }), "the contact of " + Taken),
        Row("POST", "/api/leads/", Members, c => Send("/api/leads", new { contactId = c.S.OpenContact }), "the contact of " + Open),
        Row("GET", "/api/leads/{id:long}", Owner, c => Url($"/api/leads/{c.S.Lead}"), TakenLead),
        Row("GET", "/api/leads/{id:long}", Owner, c => Url($"/api/leads/{c.S.UnassignedLeadOfTakenConversation}"), UnassignedLead),
        Row("GET", "/api/leads/{id:long}", Members, c => Url($"/api/leads/{c.S.OpenLead}"), OpenLead),
        Row("PATCH", "/api/leads/{id:long}", Owner, c => Send($"/api/leads/{c.S.Lead}", new { title = "Lead of the taken conversation" }), TakenLead),
        Row("PATCH", "/api/leads/{id:long}", Owner, c => Send($"/api/leads/{c.S.UnassignedLeadOfTakenConversation}", new { title = "Unassigned lead" }), UnassignedLead),
        Row("PATCH", "/api/leads/{id:long}", Members, c => Send($"/api/leads/{c.S.OpenLead}", new { title = "Open lead" }), OpenLead),
        Row("POST", "/api/leads/{id:long}/convert", Owner, async c => new Call($"/api/leads/{await c.S.FreshLeadAsync()}/convert", new { }), FreshLead),
        Row("POST", "/api/leads/{id:long}/junk", Owner, async c => new Call($"/api/leads/{await c.S.FreshLeadAsync()}/junk", new { reason = "spam" }), FreshLead),
        Row("GET", "/api/leads/{id:long}/timeline", Owner, c => Url($"/api/leads/{c.S.Lead}/timeline"), TakenLead),
        Row("GET", "/api/leads/{id:long}/timeline", Owner, c => Url($"/api/leads/{c.S.UnassignedLeadOfTakenConversation}/timeline"), UnassignedLead),
        Row("GET", "/api/leads/{id:long}/timeline", Members, c => Url($"/api/leads/{c.S.OpenLead}/timeline"), OpenLead),
        Row("POST", "/api/leads/{id:long}/comments", Owner, c => Send($"/api/leads/{c.S.Lead}/comments", new { text = "matrix" }), TakenLead),
        Row("POST", "/api/leads/{id:long}/comments", Owner, c => Send($"/api/leads/{c.S.UnassignedLeadOfTakenConversation}/comments", new { text = "matrix" }), UnassignedLead),
        Row("POST", "/api/leads/{id:long}/comments", Members, c => Send($"/api/leads/{c.S.OpenLead}/comments", new { text = "matrix" }), OpenLead),

        // ---- deals ------------------------------------------------------------------------------------------
        Row("GET", "/api/deals/", Signed, _ => Url("/api/deals")),
        Row("POST", "/api/deals/", Signed, _ => Send("/api/deals", new { title = "Walk-in deal" }), "no contact"),
        Row("POST", "/api/deals/", Owner, c => Send("/api/deals", new { title = "Deal", contactId = c.S.Contact }), "the contact of " + Taken),
        Row("GET", "/api/deals/{id:long}", Owner, c => Url($"/api/deals/{c.S.Deal}"), TakenDeal),
        Row("PATCH", "/api/deals/{id:long}", Owner, c => Send($"/api/deals/{c.S.Deal}", new { title = "Deal of the taken conversation" }), TakenDeal),
        Row("PATCH", "/api/deals/{id:long}", Owner, async c => new Call($"/api/deals/{await c.S.FreshDealAsync(assignee: c.S.SelfOrAssigned(c.Role))}", new { contactId = c.S.Contact }),
            "the caller's own fresh deal, given the contact of " + Taken),
        Row("POST", "/api/deals/{id:long}/close", Owner, async c => new Call($"/api/deals/{await c.S.FreshDealAsync()}/close", new { outcome = "won" }), FreshDeal),
        Row("POST", "/api/deals/{id:long}/reopen", Owner, async c => new Call($"/api/deals/{await c.S.FreshDealAsync(closed: true)}/reopen", new { }), "a fresh won deal of the assigned manager"),
        Row("GET", "/api/deals/{id:long}/timeline", Owner, c => Url($"/api/deals/{c.S.Deal}/timeline"), TakenDeal),
        Row("POST", "/api/deals/{id:long}/comments", Owner, c => Send($"/api/deals/{c.S.Deal}/comments", new { text = "matrix" }), TakenDeal),
        Row("GET", "/api/deals/{id:long}", Owner, c => Url($"/api/deals/{c.S.UnassignedDealOfTakenConversation}"), UnassignedDeal),
        Row("PATCH", "/api/deals/{id:long}", Owner, c => Send($"/api/deals/{c.S.UnassignedDealOfTakenConversation}", new { title = "Unassigned deal" }), UnassignedDeal),
        Row("GET", "/api/deals/{id:long}/timeline", Owner, c => Url($"/api/deals/{c.S.UnassignedDealOfTakenConversation}/timeline"), UnassignedDeal),
        Row("POST", "/api/deals/{id:long}/comments", Owner, c => Send($"/api/deals/{c.S.UnassignedDealOfTakenConversation}/comments", new { text = "matrix" }), UnassignedDeal),

        // ---- activities -------------------------------------------------------------------------------------
        Row("GET", "/api/activities/", Signed, _ => Url("/api/activities")),
        Row("POST", "/api/activities/", Owner, c => Send("/api/activities", NewActivity("deal", c.S.Deal)), "on " + TakenDeal),
        Row("POST", "/api/activities/", Owner, c => Send("/api/activities", NewActivity("lead", c.S.UnassignedLeadOfTakenConversation)), "on the " + UnassignedLead),
        Row("POST", "/api/activities/", Owner, c => Send("/api/activities", NewActivity("deal", c.S.UnassignedDealOfTakenConversation)), "on the " + UnassignedDeal),
        Row("POST", "/api/activities/", Members, c => Send("/api/activities", NewActivity("lead", c.S.OpenLead)), "on " + OpenLead),
        Row("GET", "/api/activities/{id:long}", Owner, c => Url($"/api/activities/{c.S.Activity}"), "the activity on " + TakenLead),
        Row("PATCH", "/api/activities/{id:long}", Owner, c => Send($"/api/activities/{c.S.Activity}", new { title = "Call back" }), "the activity on " + TakenLead),
        Row("GET", "/api/activities/{id:long}", Owner, c => Url($"/api/activities/{c.S.ActivityOnUnassignedLead}"), "the assigned manager's activity on the " + UnassignedLead),
        Row("PATCH", "/api/activities/{id:long}", Owner, c => Send($"/api/activities/{c.S.ActivityOnUnassignedLead}", new { title = "Call" }),
            "the assigned manager's activity on the " + UnassignedLead),
        Row("POST", "/api/activities/{id:long}/complete", Owner, async c => new Call($"/api/activities/{await c.S.FreshActivityAsync()}/complete", new { result = "done" }),
            "a fresh activity on " + TakenDeal),
    ];

    private static async Task<long> FreshLossReasonAsync(Cell c)
    {
        await using var db = c.S.Fixture.Db();
        return await db.ExecuteScalarAsync<long>("insert into loss_reasons (name) values (@name) returning id", new { name = "mx-lr-" + c.Unique });
    }
}
