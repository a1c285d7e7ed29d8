using ContactCenter.Api.Auth;
using ContactCenter.Api.Database;
using ContactCenter.Api.Demo;
using ContactCenter.Api.Features;
using ContactCenter.Api.Features.Canned;
using ContactCenter.Api.Features.Calls;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Email;
using ContactCenter.Api.Features.Hours;
using ContactCenter.Api.Features.Labels;
using ContactCenter.Api.Features.Notifications;
using ContactCenter.Api.Features.Reports;
using ContactCenter.Api.Features.Sms;
using ContactCenter.Api.Features.WhatsApp;
using ContactCenter.Api.Features.Vk;
using ContactCenter.Api.Features.WebChat;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Api.Infrastructure.OpenApi;
using ContactCenter.Api.Infrastructure.Telemetry;
using ContactCenter.Api.Realtime;
using ContactCenter.Api.Seeding;
using ContactCenter.Connectors.Api;
using ContactCenter.Connectors.Email;
using ContactCenter.Connectors.Telegram;
using ContactCenter.Connectors.WebChat;

if (args is [HealthProbe.Command, ..])
{
    return await HealthProbe.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDevelopmentSettingsFromRepoRoot();
builder.AddPlatform();
builder.AddApiDocument();
builder.AddTelemetry();
builder.AddOutboundGuard();
builder.AddDatabase();
builder.AddJobs();
builder.AddAuth();
builder.AddRealtime();
builder.AddInbox();
builder.AddHours();
builder.AddCrm();
builder.AddCannedResponses();
builder.AddLabels();
builder.AddNotifications();
builder.AddReports();
builder.AddApiConnector();
builder.AddEmail();
builder.AddTelegramConnector();
builder.AddSms();
builder.AddWhatsApp();
builder.AddVk();
builder.AddCalls();
builder.AddWebChat();
builder.AddSeeding();
builder.AddDemo(args);

var app = builder.Build();
app.UseSecurityHeaders();
app.UsePlatform();
app.MapTelemetry();
app.MapApiDocument();
app.UseWebApp();
app.MapInboxApi();
app.MapHoursApi();
app.MapJobsApi();
app.MapCrmApi();
app.MapCannedResponsesApi();
app.MapLabelsApi();
app.MapNotificationsApi();
app.MapReportsApi();
app.MapApiConnector();
app.MapTelegramConnector();
app.MapSms();
app.MapWhatsApp();
app.MapVk();
app.MapCalls();
app.MapWebChatConnector();
app.MapRealtime();
app.MapDemo();

await app.Services.GetRequiredService<Migrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
await app.SeedAsync();
await app.RunAsync();
return 0;

public partial class Program;
