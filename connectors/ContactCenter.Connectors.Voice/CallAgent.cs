namespace ContactCenter.Connectors.Voice;

public sealed record CallAgent(long UserId, string Name, string Phone);
