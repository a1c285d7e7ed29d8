using ContactCenter.Api.Auth;
using ContactCenter.Api.Database;
using ContactCenter.Api.Demo;
using ContactCenter.Api.Features;
using ContactCenter.Api.Features.Crm;
using ContactCenter.Api.Features.Sms;
using ContactCenter.Api.Infrastructure;
using ContactCenter.Api.Realtime;
using ContactCenter.Api.Seeding;
using ContactCenter.Connectors.Api;
using ContactCenter.Connectors.Email;
using ContactCenter.Connectors.Telegram;
using ContactCenter.Connectors.WebChat;

var builder = WebApplication.CreateBuilder(args);
builder.AddDevelopmentSettingsFromRepoRoot();
builder.AddPlatform();
builder.AddDatabase();
builder.AddAuth();
builder.AddRealtime();
builder.AddInbox();
builder.AddCrm();
builder.AddApiConnector();
builder.AddEmailConnector();
builder.AddTelegramConnector();
builder.AddSms();
builder.AddWebChatConnector();
builder.AddSeeding();
builder.AddDemo(args);

var app = builder.Build();
app.UsePlatform();
app.UseWebApp();
app.MapInboxApi();
app.MapCrmApi();
app.MapApiConnector();
app.MapTelegramConnector();
app.MapSms();
app.MapWebChatConnector();
app.MapRealtime();
app.MapDemo();
app.MapWebApp();

await app.Services.GetRequiredService<Migrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
await app.SeedAsync();
await app.RunAsync();

public partial class Program;
