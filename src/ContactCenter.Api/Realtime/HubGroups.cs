using System.Globalization;

namespace ContactCenter.Api.Realtime;

/// <summary>The only place hub group names are made.</summary>
public static class HubGroups
{
    /// <summary>Every connection of one user (all devices, all nodes): per-user events go here.</summary>
    public static string User(long userId) => "user:" + userId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Admins and supervisors: queue and SLA events.</summary>
    public const string Staff = "staff";
}
