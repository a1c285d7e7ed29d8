namespace ContactCenter.Core;

/// <summary>
/// A sentence a connector shows a person outside the app (a web form's own thank-you or error page) in that person's
/// language: the host's table of Russian texts when their `Accept-Language` prefers Russian, else the English as written.
/// </summary>
public interface ICallerTexts
{
    string InCallerLanguage(string? acceptLanguage, string english);
}
