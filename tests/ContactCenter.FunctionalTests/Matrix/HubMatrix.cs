using System.Reflection;
using ContactCenter.Api.Realtime;
using Microsoft.AspNetCore.SignalR;
using static ContactCenter.FunctionalTests.Matrix.Expect;

namespace ContactCenter.FunctionalTests.Matrix;

/// <summary>One hub method called with the scenario's arguments; NotFound/Forbidden mean the call is refused with a HubException.</summary>
public sealed record HubRow(string Method, Expect Expect, Func<MatrixScenario, object?[]> Args, string Case = "")
{
    public override string ToString() => Case.Length == 0 ? $"hub {Method}" : $"hub {Method} [{Case}]";
}

/// <summary>
/// The hub's table: who may connect to /hubs/inbox, and what each of its methods answers each role. A role that may
/// not connect gets Unauthorized for every method (it never reaches one).
/// </summary>
public static class HubMatrix
{
    public static readonly Expect Connect = Signed;

    public static readonly IReadOnlyList<HubRow> Rows =
    [
        new("Ready", Signed, _ => []),
        new("MarkRead", Owner, s => [s.Conversation, null], "the assigned manager's conversation"),
        new("MarkRead", Members, s => [s.OpenConversation, null], "channel A's unassigned conversation"),
        new("Typing", Owner, s => [s.Conversation], "the assigned manager's conversation"),
        new("Typing", Members, s => [s.OpenConversation], "channel A's unassigned conversation"),
    ];

    /// <summary>The methods a client can invoke, as SignalR finds them: public instance methods declared by the hub itself.</summary>
    public static IReadOnlyList<string> HubMethods() => typeof(InboxHub)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance)
        .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType is { } declaring
                    && declaring != typeof(object) && declaring != typeof(Hub) && declaring != typeof(Hub<IInboxClient>))
        .Select(m => m.Name)
        .Distinct()
        .Order()
        .ToList();
}
