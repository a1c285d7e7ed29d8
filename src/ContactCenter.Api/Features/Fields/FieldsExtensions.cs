namespace ContactCenter.Api.Features.Fields;

public static class FieldsExtensions
{
    /// <summary>Custom fields (issue #17); the list views of deals and leads that filter by them are the CRM's.</summary>
    public static IServiceCollection AddCustomFields(this IServiceCollection services)
    {
        services.AddSingleton<CustomFieldService>();
        return services;
    }
}
