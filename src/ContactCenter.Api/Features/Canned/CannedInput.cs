using ContactCenter.Api.Infrastructure;

namespace ContactCenter.Api.Features.Canned;

/// <summary>The rules for a canned response's fields, shared by create and edit; values come back cleaned (trimmed).</summary>
public static class CannedInput
{
    public const int MaxShortcut = 32;
    public const int MaxTitle = 200;
    public const int MaxText = 10_000;

    public static string? Shortcut(string? raw, Validation errors)
    {
        var value = raw?.Trim().TrimStart('/');
        if (string.IsNullOrEmpty(value))
        {
            errors.Add("shortcut", "A shortcut is required.");
            return null;
        }
        if (value.Length > MaxShortcut)
        {
            errors.Add("shortcut", $"A shortcut is at most {MaxShortcut} characters.");
            return null;
        }
        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add("shortcut", "A shortcut is one word: no spaces.");
            return null;
        }
        return value;
    }

    /// <summary>Empty or blank clears the title.</summary>
    public static string? Title(string? raw, Validation errors)
    {
        var value = raw?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length > MaxTitle || value.Contains('\0'))
        {
            errors.Add("title", $"A title is at most {MaxTitle} characters of text.");
            return null;
        }
        return value;
    }

    public static string? Text(string? raw, Validation errors)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            errors.Add("text", "The text is required.");
            return null;
        }
        var value = raw.Trim();
        if (value.Length > MaxText)
        {
            errors.Add("text", $"The text is at most {MaxText} characters.");
            return null;
        }
        if (value.Contains('\0'))
        {
            errors.Add("text", "The text may not contain NUL characters.");
            return null;
        }
        return value;
    }
}
