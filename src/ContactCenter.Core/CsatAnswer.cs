namespace ContactCenter.Core;

/// <summary>
/// A customer's answer to a satisfaction survey, handed to the host by a connector (a web chat button, a Telegram inline
/// keyboard). <paramref name="Address"/> is the customer's identity on the channel: the survey counts only when it was
/// asked in a conversation of that customer on that channel, so a forged survey id changes nothing.
/// </summary>
public sealed record CsatAnswer(long ChannelId, long SurveyId, string Address, int Rating, string? Comment = null);
