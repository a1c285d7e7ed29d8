using ContactCenter.Api.Auth;

namespace ContactCenter.Api.Features.Crm;

/// <summary>Who did something, as the timeline records it: a user, the system, or an automation rule (Id = rule id).</summary>
public sealed record Actor(string Type, long? Id)
{
    public static readonly Actor System = new("system", null);

    public static Actor User(CurrentUser user) => new("user", user.Id);

    public static Actor Rule(long ruleId) => new("automation", ruleId);

    public long? UserId => Type == "user" ? Id : null;
}
