namespace ContactCenter.Api.Features.Routing;

public sealed record SlaOptions
{
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(5);
}
