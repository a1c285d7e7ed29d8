using System.Globalization;
using System.Text;

namespace ContactCenter.Api.Features.Notifications;

/// <summary>One overdue activity as the digest lists it.</summary>
public sealed record DigestLine(string Title, string Type, DateTimeOffset DueAt, string? Subject);

/// <summary>
/// The digest's words in the recipient's language (`language` of their settings: en or ru; English otherwise) with due
/// times in their time zone (their working hours' zone, else the instance's), the zone named in the text — never an
/// unlabelled time a reader in another zone would misread.
/// </summary>
public static class DigestText
{
    public static (string Subject, string Body) Compose(string? language, TimeZoneInfo zone, string name, IReadOnlyList<DigestLine> items, DateOnly day)
    {
        var ru = language == "ru";
        var zoneName = zone.Id is "UTC" or "Etc/UTC" || zone.Equals(TimeZoneInfo.Utc) ? "UTC" : zone.Id;
        var text = new StringBuilder(ru
            ? string.Create(CultureInfo.InvariantCulture, $"Здравствуйте, {name}!\n\nПросроченных дел: {items.Count}.\n\n")
            : string.Create(CultureInfo.InvariantCulture, $"Hello {name},\n\nYou have {items.Count} overdue activit{(items.Count == 1 ? "y" : "ies")}:\n\n"));
        foreach (var i in items)
        {
            var local = TimeZoneInfo.ConvertTime(i.DueAt, zone);
            text.Append(CultureInfo.InvariantCulture, $"- {local:yyyy-MM-dd HH:mm} {zoneName}  {TypeName(i.Type, ru)}: {i.Title}{(i.Subject is null ? "" : $" ({i.Subject})")}\n");
        }
        text.Append(ru ? $"\nВремя указано в часовом поясе {zoneName}.\n" : $"\nTimes are in {zoneName}.\n");
        var subject = ru
            ? string.Create(CultureInfo.InvariantCulture, $"Просроченные дела ({items.Count}) — {day:yyyy-MM-dd}")
            : string.Create(CultureInfo.InvariantCulture, $"Overdue activities ({items.Count}) — {day:yyyy-MM-dd}");
        return (subject, text.ToString());
    }

    private static string TypeName(string type, bool ru) => !ru ? type : type switch
    {
        "call" => "звонок",
        "email" => "письмо",
        "meeting" => "встреча",
        "task" => "задача",
        _ => type,
    };
}
