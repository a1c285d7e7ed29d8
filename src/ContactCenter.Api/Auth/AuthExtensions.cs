using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace ContactCenter.Api.Auth;

public sealed record AuthOptions
{
    public string JwtKey { get; init; } = "";
    public string Issuer { get; init; } = "contactcenter";
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary>Failed sign-ins for one email before it is locked.</summary>
    public int LockoutThreshold { get; init; } = 5;

    /// <summary>The first lock; each further failure after a lock doubles it, up to <see cref="LockoutMax"/>.</summary>
    public TimeSpan LockoutBase { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan LockoutMax { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures older than this (and no lock in force) are forgotten.</summary>
    public TimeSpan LockoutResetAfter { get; init; } = TimeSpan.FromHours(1);
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Supervisor = "supervisor";
    public const string Manager = "manager";
    public const string StaffPolicy = "staff";
    public const string AdminPolicy = "admin";

    public static bool IsValid(string role) => role is Admin or Supervisor or Manager;
}

public static class AuthExtensions
{
    public static IHostApplicationBuilder AddAuth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration("Auth")
            .Validate(o => Encoding.UTF8.GetByteCount(o.JwtKey) >= 32, "Auth:JwtKey must be set to at least 32 bytes.")
            .ValidateOnStart();
        var key = builder.Configuration["Auth:JwtKey"] ?? "";
        CommittedKeys.EnsureNotCommitted(key, builder.Environment);
        var issuer = builder.Configuration["Auth:Issuer"] ?? "contactcenter";

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(o =>
            {
                o.MapInboundClaims = false;
                // Nothing reads the token back from the authentication properties, and a hub connection would keep it.
                o.SaveToken = false;
                o.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    ValidAudience = issuer,
                    IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key.PadRight(32))),
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = "name",
                    RoleClaimType = "role",
                };
                o.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSockets: hubs take the token from the query string.
                    OnMessageReceived = context =>
                    {
                        var token = context.Request.Query["access_token"];
                        if (!string.IsNullOrEmpty(token) && context.HttpContext.Request.Path.StartsWithSegments("/hubs/inbox"))
                        {
                            context.Token = token;
                        }
                        return Task.CompletedTask;
                    },
                    OnTokenValidated = SessionCheck.ValidateAsync,
                };
            });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.StaffPolicy, p => p.RequireRole(Roles.Admin, Roles.Supervisor))
            .AddPolicy(Roles.AdminPolicy, p => p.RequireRole(Roles.Admin));
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<SessionStamps>();
        builder.Services.AddSingleton<HubSessions>();
        builder.Services.AddSingleton<SessionRevocations>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SessionRevocations>());
        builder.Services.AddHostedService<SessionSweep>();
        builder.Services.AddSingleton<LoginThrottle>();
        return builder;
    }
}
