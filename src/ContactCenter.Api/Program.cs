using ContactCenter.Api.Auth;
using ContactCenter.Api.Database;
using ContactCenter.Api.Features;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Api.Realtime;
using ContactCenter.Api.Seeding;
using ContactCenter.Connectors.Api;
using ContactCenter.Connectors.Telegram;

var builder = WebApplication.CreateBuilder(args);
builder.AddDevelopmentSettingsFromRepoRoot();
builder.AddPlatform();
builder.AddDatabase();
builder.AddAuth();
builder.AddRealtime();
builder.AddInbox();
builder.AddCrm();
builder.AddApiConnector();
builder.AddTelegramConnector();
builder.AddSeeding();

var app = builder.Build();
app.UsePlatform();
app.MapInboxApi();
app.MapCrmApi();
app.MapApiConnector();
app.MapTelegramConnector();
app.MapRealtime();

await app.Services.GetRequiredService<Migrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
await app.SeedAsync();
await app.RunAsync();

public partial class Program;
