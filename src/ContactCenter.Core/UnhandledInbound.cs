namespace ContactCenter.Core;

/// <summary>Something a provider sent that the connector does not turn into a message; kept for people to look at, never dropped.</summary>
/// <param name="ExternalId">Unique per channel (e.g. `update:123`): a redelivery is stored once.</param>
/// <param name="Kind">What it is, in the provider's words (`callback_query`, `my_chat_member`).</param>
public sealed record UnhandledInbound(long ChannelId, string ExternalId, string Kind, string RawPayload);
