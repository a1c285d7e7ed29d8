using Microsoft.AspNetCore.Authorization;

namespace ContactCenter.Connectors.WebChat.Widget;

/// <summary>The visitor's channel is an enabled web chat that allows the calling page.</summary>
public sealed class AllowedPageRequirement : IAuthorizationRequirement;
