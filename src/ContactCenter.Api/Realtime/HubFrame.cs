using System.Buffers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace ContactCenter.Api.Realtime;

/// <summary>One client method call of a <see cref="HubFrame"/>: the event's wire name and its one argument.</summary>
public sealed record HubInvocation(string Method, object? Arg);

/// <summary>
/// Several events for the connections of some groups, written to each connection together: they leave in one socket
/// write (one WebSocket frame) instead of one each. The hub protocols allow several messages per frame, so clients read
/// them as before, in this order.
/// </summary>
/// <remarks>
/// Not compatible with SignalR's stateful reconnect (`AllowStatefulReconnects`, off in this app): its server side counts
/// one message per write, its clients every message of a frame, so a reconnect would skip messages.
/// </remarks>
public sealed record HubFrame(IReadOnlyList<string> Groups, IReadOnlyList<HubInvocation> Invocations)
{
    /// <summary>The frame's messages serialized once per protocol in use (a send to thousands of connections serializes once).</summary>
    internal sealed class Serialized(IReadOnlyList<HubInvocation> invocations)
    {
        private (string Protocol, SerializedHubMessage Message)[] made = [];

        public SerializedHubMessage For(IHubProtocol protocol)
        {
            foreach (var (name, message) in made)
            {
                if (name == protocol.Name)
                {
                    return message;
                }
            }
            var bytes = new ArrayBufferWriter<byte>();
            foreach (var invocation in invocations)
            {
                protocol.WriteMessage(new InvocationMessage(invocation.Method, [invocation.Arg]), bytes);
            }
            var created = new SerializedHubMessage([new SerializedMessage(protocol.Name, bytes.WrittenMemory)]);
            made = [.. made, (protocol.Name, created)];
            return created;
        }
    }
}
