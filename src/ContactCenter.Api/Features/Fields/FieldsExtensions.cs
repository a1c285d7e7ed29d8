namespace ContactCenter.Api.Features.Fields;

public static class FieldsExtensions
{
    /// <summary>Custom fields and the list views of deals and leads (issue #17).</summary>
    public static IServiceCollection AddCustomFields(this IServiceCollection services)
    {
        services.AddSingleton<CustomFieldService>();
        services.AddSingleton<DealListQuery>();
        services.AddSingleton<LeadListQuery>();
        services.AddSingleton<DealBulkService>();
        services.AddSingleton<LeadBulkService>();
        return services;
    }
}
