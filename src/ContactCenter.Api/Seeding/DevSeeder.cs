using System.Text.Json.Nodes;
using ContactCenter.Api.Auth;
using Dapper;
using Npgsql;

namespace ContactCenter.Api.Seeding;

public sealed record SeedOptions
{
    public List<SeedUser> Users { get; init; } = [];
}

public sealed record SeedUser(string Email, string Name, string Role, string Password, List<string>? Channels);

public sealed record SeedChannel(string Kind, string Name, JsonObject Settings, string? PublicKey);

/// <summary>
/// Creates the Development demo (accounts and channels from appsettings.Development.json) at start-up,
/// idempotently: a second run finds them and changes nothing.
/// </summary>
public static class DevSeeder
{
    public static IHostApplicationBuilder AddSeeding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SeedOptions>().BindConfiguration("Seed");
        return builder;
    }

    public static async Task SeedAsync(this WebApplication app)
    {
        await BootstrapAdminAsync(app);
        if (!app.Environment.IsDevelopment())
        {
            return;
        }
        var seed = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SeedOptions>>().Value;
        var channels = app.Configuration.GetSection("Seed:Channels").GetChildren().Select(c => new SeedChannel(
            c["Kind"] ?? "", c["Name"] ?? "", ToJson(c.GetSection("Settings")) as JsonObject ?? [], c["PublicKey"])).ToList();
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var hashing = app.Services.GetRequiredService<PasswordHashing>();
        await using var connection = await db.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        foreach (var channel in channels)
        {
            var settings = channel.Settings;
            await connection.ExecuteAsync("""
                insert into channels (kind, name, settings, public_key)
                select @Kind, @Name, @settings::jsonb, @PublicKey
                where not exists (select 1 from channels where name = @Name and kind = @Kind)
                """, new { channel.Kind, channel.Name, settings = settings.ToJsonString(), channel.PublicKey }, tx);
        }
        foreach (var user in seed.Users)
        {
            var id = await connection.ExecuteScalarAsync<long?>(
                "select id from users where lower(email) = lower(@Email)", new { user.Email }, tx);
            id ??= await connection.ExecuteScalarAsync<long>(
                "insert into users (email, name, role, password_hash) values (@Email, @Name, @Role, @hash) returning id",
                new { user.Email, user.Name, user.Role, hash = hashing.Hash(user.Password) }, tx);
            await connection.ExecuteAsync("""
                insert into channel_members (channel_id, user_id)
                select c.id, @id from channels c where c.name = any(@names) or @all
                on conflict do nothing
                """, new { id, names = (user.Channels ?? []).ToArray(), all = user.Channels is ["*"] }, tx);
        }
        await tx.CommitAsync();
        app.Logger.LogInformation("Development demo seeded: {Users} users, {Channels} channels", seed.Users.Count, channels.Count);
    }

    /// <summary>
    /// Production's first sign-in: with Bootstrap:AdminEmail and Bootstrap:AdminPassword set and no user at all,
    /// one admin is created. Once any user exists this does nothing, so the settings can stay.
    /// </summary>
    private static async Task BootstrapAdminAsync(WebApplication app)
    {
        var email = app.Configuration["Bootstrap:AdminEmail"];
        var password = app.Configuration["Bootstrap:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            return;
        }
        var db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var hash = app.Services.GetRequiredService<PasswordHashing>().Hash(password);
        await using var connection = await db.OpenConnectionAsync();
        var created = await connection.ExecuteAsync("""
            insert into users (email, name, role, password_hash)
            select @email, 'Administrator', 'admin', @hash where not exists (select 1 from users)
            """, new { email, hash });
        if (created > 0)
        {
            app.Logger.LogInformation("Bootstrap admin {Email} created", email);
        }
    }

    /// <summary>Configuration has no JSON types: a section whose children are 0..n becomes an array, "true"/"false" booleans, the rest strings.</summary>
    private static JsonNode? ToJson(IConfigurationSection section)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            return section.Value switch
            {
                null => null,
                "true" or "false" => JsonValue.Create(section.Value == "true"),
                var v => JsonValue.Create(v),
            };
        }
        if (children.Select((c, i) => c.Key == i.ToString(System.Globalization.CultureInfo.InvariantCulture)).All(x => x))
        {
            return new JsonArray(children.Select(ToJson).ToArray());
        }
        var obj = new JsonObject();
        foreach (var child in children)
        {
            obj[child.Key] = ToJson(child);
        }
        return obj;
    }
}
