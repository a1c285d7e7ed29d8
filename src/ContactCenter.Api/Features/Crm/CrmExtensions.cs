using ContactCenter.Api.Features.Contacts;
using ContactCenter.Api.Features.Crm.Automation;
using ContactCenter.Api.Features.Fields;

namespace ContactCenter.Api.Features.Crm;

public static class CrmExtensions
{
    /// <summary>The sales CRM: leads, deals, pipelines, timeline, activities with counters, automation and its scheduler.</summary>
    public static IHostApplicationBuilder AddCrm(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<CrmOptions>().BindConfiguration("Crm");
        services.AddSingleton<DealQueries>();
        services.AddSingleton<LeadQueries>();
        services.AddSingleton<BoardQuery>();
        services.AddSingleton<CrmNotifier>();
        services.AddSingleton<CrmWriter>();
        services.AddSingleton<DealService>();
        services.AddSingleton<DealPatchService>();
        services.AddSingleton<LeadService>();
        services.AddSingleton<TimelineService>();
        services.AddSingleton<ActivityService>();
        services.AddSingleton<PipelineService>();
        services.AddSingleton<CrmSettingsService>();
        services.AddSingleton<ContactMergeService>();
        services.AddSingleton<ContactProfileService>();
        services.AddSingleton<ContactDirectory>();
        services.AddSingleton<Shared.TypedPhones>();
        services.AddSingleton<CompanyService>();
        services.AddSingleton<Imports.ImportJob>();
        services.AddCustomFields();
        services.AddSingleton<DealListQuery>();
        services.AddSingleton<LeadListQuery>();
        services.AddSingleton<DealBulkService>();
        services.AddSingleton<LeadBulkService>();
        services.AddCrmAutomation();
        return builder;
    }

    public static IEndpointRouteBuilder MapCrmApi(this IEndpointRouteBuilder app)
    {
        app.MapPipelinesApi();
        app.MapDealsApi();
        app.MapLeadsApi();
        app.MapCrmCatalogsApi();
        app.MapPipelineOverdueApi();
        app.MapCardFilesApi();
        app.MapActivitiesApi();
        app.MapAutomationApi();
        app.MapContactsApi();
        app.MapContactDirectoryApi();
        app.MapCompaniesApi();
        Imports.ImportsApi.MapImportsApi(app);
        app.MapCustomFieldsApi();
        app.MapListViewsApi();
        return app;
    }
}
