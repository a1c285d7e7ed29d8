using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ContactCenter.Connectors.Vk;

/// <summary>
/// The `random_id` of messages.send, derived from the outbox message (never random), so a retry after a timeout sends
/// the same id and VK does not deliver it twice. VK checks it against the community's whole message history (its docs
/// ask for a wide range, up to int64), so it is not just the message id: a fresh database starts its ids at 1 again.
/// Layout: the low 32 bits are our message id (so the echo of our own send, `message_reply` with this random_id, leads
/// back to the message), the 31 bits above are a hash of the channel, the message's creation time and the part number.
/// </summary>
public static class VkRandomId
{
    public static long For(long channelId, long messageId, DateTimeOffset createdAt, int part)
    {
        var seed = string.Create(CultureInfo.InvariantCulture, $"vk-random-id:{channelId}:{messageId}:{createdAt.UtcTicks / 10}:{part}");
        var salt = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(seed))) & 0x7FFF_FFFF;
        if (salt == 0)
        {
            salt = 1; // 0 means "no random id" to VK
        }
        return ((long)salt << 32) | (messageId & 0xFFFF_FFFF);
    }

    /// <summary>The message id a random id may have been made from (the check is <see cref="Matches"/>).</summary>
    public static long MessageIdOf(long randomId) => randomId & 0xFFFF_FFFF;

    /// <summary>Whether <paramref name="randomId"/> is one of the parts (up to <paramref name="maxParts"/>) this message was sent as.</summary>
    public static bool Matches(long randomId, long channelId, long messageId, DateTimeOffset createdAt, int maxParts = VkSender.MaxParts) =>
        Enumerable.Range(0, maxParts).Any(part => For(channelId, messageId, createdAt, part) == randomId);
}
