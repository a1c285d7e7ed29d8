namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>The callers every route and hub method is driven as.</summary>
public enum Role
{
    Admin,
    Supervisor,

    /// <summary>The manager the scenario's conversation, lead, deal and activity are assigned to.</summary>
    Assigned,

    /// <summary>A manager member of the scenario's channel, not assigned.</summary>
    Member,

    /// <summary>A manager who is not a member of the scenario's channel.</summary>
    Outsider,

    /// <summary>A manager whose token was issued before the account was deactivated.</summary>
    Deactivated,
    NoToken,
    Expired,

    /// <summary>A token signed with another key.</summary>
    Forged,
}

public enum Outcome
{
    /// <summary>2xx, or a 4xx other than 401/403/404 (a 409 for a repeated close, say): the caller got past authorization.</summary>
    Allowed,
    NotFound,
    Forbidden,
    Unauthorized,

    /// <summary>5xx: never expected.</summary>
    ServerError,
}

/// <summary>The expected outcome of one route (or hub method) per role.</summary>
public sealed class Expect
{
    private readonly Dictionary<Role, Outcome> outcomes;

    private Expect(string name, Dictionary<Role, Outcome> outcomes, bool isPublic = false)
    {
        Name = name;
        this.outcomes = outcomes;
        IsPublic = isPublic;
    }

    public string Name { get; }

    /// <summary>
    /// A route customers, providers and probes call without a user token (AllowAnonymous). Adding one is a decision:
    /// its answer must not depend on the caller's token at all.
    /// </summary>
    public bool IsPublic { get; }

    public Outcome this[Role role] => outcomes[role];

    public static readonly Role[] Roles = Enum.GetValues<Role>();

    /// <summary>Every signed-in, active user.</summary>
    public static readonly Expect Signed = Of(nameof(Signed), Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed);

    public static readonly Expect AdminOnly = Of(nameof(AdminOnly), Outcome.Allowed, Outcome.Forbidden, Outcome.Forbidden, Outcome.Forbidden, Outcome.Forbidden);

    /// <summary>Admins and supervisors.</summary>
    public static readonly Expect Staff = Of(nameof(Staff), Outcome.Allowed, Outcome.Allowed, Outcome.Forbidden, Outcome.Forbidden, Outcome.Forbidden);

    /// <summary>An object of the assigned manager: staff and that manager see it; to other managers it does not exist.</summary>
    public static readonly Expect Owner = Of(nameof(Owner), Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.NotFound, Outcome.NotFound);

    /// <summary>An unassigned object of the scenario's channel: its members see it, a non-member does not.</summary>
    public static readonly Expect Members = Of(nameof(Members), Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.Allowed, Outcome.NotFound);

    /// <summary>A personal object of the assigned manager (a canned response): only she sees it; staff included, to everyone else it does not exist.</summary>
    public static readonly Expect Personal = Of(nameof(Personal), Outcome.NotFound, Outcome.NotFound, Outcome.Allowed, Outcome.NotFound, Outcome.NotFound);
    /// <summary>A user's own settings (working hours) of the assigned manager: admins and that manager; everyone else 403.</summary>
    public static readonly Expect AdminOrSelf = Of(nameof(AdminOrSelf), Outcome.Allowed, Outcome.Forbidden, Outcome.Allowed, Outcome.Forbidden, Outcome.Forbidden);

    public static readonly Expect Public = new(nameof(Public), [], isPublic: true);

    /// <summary>The web chat visitors' hub: a user's token is not a visitor's.</summary>
    public static readonly Expect VisitorsOnly = new(nameof(VisitorsOnly), Roles.ToDictionary(r => r, _ => Outcome.Unauthorized));

    /// <summary>Deactivated, anonymous, expired and forged callers get 401 on every non-public route.</summary>
    private static Expect Of(string name, Outcome admin, Outcome supervisor, Outcome assigned, Outcome member, Outcome outsider) => new(name, new()
    {
        [Role.Admin] = admin,
        [Role.Supervisor] = supervisor,
        [Role.Assigned] = assigned,
        [Role.Member] = member,
        [Role.Outsider] = outsider,
        [Role.Deactivated] = Outcome.Unauthorized,
        [Role.NoToken] = Outcome.Unauthorized,
        [Role.Expired] = Outcome.Unauthorized,
        [Role.Forged] = Outcome.Unauthorized,
    });

    public static Outcome Classify(int status) => status switch
    {
        401 => Outcome.Unauthorized,
        403 => Outcome.Forbidden,
        404 => Outcome.NotFound,
        >= 500 => Outcome.ServerError,
        _ => Outcome.Allowed,
    };
}
