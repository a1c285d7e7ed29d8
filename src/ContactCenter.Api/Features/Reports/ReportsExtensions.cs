namespace ContactCenter.Api.Features.Reports;

/// <summary>Sales reports (issue 17): sales per manager/source/month, plans, manager efficiency, speed to lead; the funnel is Stats' FunnelQuery.</summary>
public static class ReportsExtensions
{
    public static IHostApplicationBuilder AddReports(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SalesReport>();
        builder.Services.AddSingleton<SalesPlans>();
        builder.Services.AddSingleton<EfficiencyReport>();
        builder.Services.AddSingleton<SpeedToLeadReport>();
        return builder;
    }
}
