namespace ContactCenter.Api.Features.Crm.Automation;

public static class AutomationExtensions
{
    /// <summary>Automation rules, their runner, and the CRM's clock that runs them (and pushes due activities) on every node.</summary>
    public static IServiceCollection AddCrmAutomation(this IServiceCollection services)
    {
        services.AddSingleton<AutomationRules>();
        services.AddSingleton<AutomationRunner>();
        services.AddSingleton<CrmScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<CrmScheduler>());
        return services;
    }
}
