using ContactCenter.FunctionalTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContactCenter.FunctionalTests;

/// <summary>
/// The app with a clock whose "now" each test sets (a night, a holiday, two days later); timers and delays stay real, so
/// the background workers (outbox, schedulers) run as usual.
/// </summary>
public sealed class HoursFixture : AppFixture
{
    public HoursClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
}

public sealed class HoursClock : TimeProvider
{
    private DateTimeOffset? now;

    /// <summary>Null: the real time.</summary>
    public void Set(DateTimeOffset? value) => now = value;

    public void Advance(TimeSpan by) => now = GetUtcNow().Add(by);

    public override DateTimeOffset GetUtcNow() => now ?? base.GetUtcNow();
}
