namespace ContactCenter.Api.Features.Notifications;

/// <summary>
/// What notices push to their own user's devices after commit. The hub layer implements it (<c>Realtime.HubPushes</c>);
/// declaring it here keeps the dependency one way: Realtime uses Notifications, never the reverse.
/// </summary>
public interface INotificationPushes
{
    /// <summary>`notification`: a new item of the user's notification centre.</summary>
    Task NotificationAsync(long userId, NotificationItem notification);

    /// <summary>`notificationsRead`: the user marked notices read on one device, the others update their bell.</summary>
    Task NotificationsReadAsync(long userId, NotificationsRead read);
}
