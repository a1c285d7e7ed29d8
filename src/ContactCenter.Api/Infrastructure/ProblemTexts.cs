using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Api.Infrastructure;

/// <summary>
/// Problem details in the caller's language. The API's sentences are written in English where they are raised; a request
/// whose `Accept-Language` prefers Russian (the web app sends its own language) gets them from `problem-texts-ru.json`: the
/// English sentence, or its template with `{}` where a value is inserted (a field, a number, a name), mapped to the
/// Russian one with `{0}`, `{1}`... for those values in the order the English has them. A sentence not in the table stays
/// English (a test keeps the table covering the sentences the code raises). A value that is itself a word of the API (a
/// deal's outcome `won`, a lead's status `converted`) is written `{0~}` in the Russian text and taken from the table's
/// entries whose key starts with `=` (`"=won": "выиграна"`); any other value is inserted as it is.
/// </summary>
public sealed partial class ProblemTexts
{
    private readonly Dictionary<string, string> exact = new(StringComparer.Ordinal);
    private readonly List<(Regex Pattern, string[] Tokens, string Text)> templates = [];
    private readonly Dictionary<string, string> words = new(StringComparer.Ordinal);

    private ProblemTexts(IReadOnlyDictionary<string, string> table)
    {
        foreach (var (english, translated) in table)
        {
            if (english.StartsWith('='))
            {
                words[english[1..]] = translated;
                continue;
            }
            var tokens = Placeholder().Matches(english).Select((m, i) => m.Value == "{}" ? $"{{{i}}}" : m.Value).ToArray();
            if (tokens.Length == 0)
            {
                exact[english] = translated;
                continue;
            }
            var pattern = "^" + string.Join("(.*?)", Placeholder().Split(english).Select(Regex.Escape)) + "$";
            templates.Add((new Regex(pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant), tokens, translated));
        }
        // The most specific template first: "There is no such {}." must not take "There is no such lead {}.".
        templates.Sort((a, b) => b.Pattern.ToString().Length.CompareTo(a.Pattern.ToString().Length));
    }

    public static ProblemTexts Russian { get; } = Load("problem-texts-ru.json");

    /// <summary>The Russian table when the request prefers Russian to English, else null (English is what the code wrote).</summary>
    public static ProblemTexts? For(HttpRequest request) => For(request.GetTypedHeaders().AcceptLanguage);

    /// <summary>The same for an `Accept-Language` value (null or unreadable: English).</summary>
    public static ProblemTexts? ForHeader(string? acceptLanguage) =>
        Microsoft.Net.Http.Headers.StringWithQualityHeaderValue.TryParseList(acceptLanguage is null ? [] : [acceptLanguage], out var languages) ? For(languages) : null;

    private static ProblemTexts? For(IList<Microsoft.Net.Http.Headers.StringWithQualityHeaderValue> languages)
    {
        foreach (var language in languages.OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("ru", StringComparison.OrdinalIgnoreCase))
            {
                return Russian;
            }
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }
        }
        return null;
    }

    public string Translate(string text)
    {
        if (exact.TryGetValue(text, out var translated))
        {
            return translated;
        }
        foreach (var (pattern, tokens, template) in templates)
        {
            if (pattern.Match(text) is { Success: true } match)
            {
                var result = template;
                for (var i = 0; i < tokens.Length; i++)
                {
                    var value = match.Groups[i + 1].Value;
                    result = result.Replace(tokens[i][..^1] + "~}", words.GetValueOrDefault(value, value), StringComparison.Ordinal)
                        .Replace(tokens[i], value, StringComparison.Ordinal);
                }
                return result;
            }
        }
        return text;
    }

    /// <summary>Title, detail and every field error of a problem, in place.</summary>
    public void Apply(ProblemDetails problem)
    {
        problem.Title = problem.Title is { } title ? Translate(title) : null;
        problem.Detail = problem.Detail is { } detail ? Translate(detail) : null;
        if (problem is HttpValidationProblemDetails validation)
        {
            foreach (var key in validation.Errors.Keys.ToList())
            {
                validation.Errors[key] = validation.Errors[key].Select(Translate).ToArray();
            }
        }
        if (problem.Extensions.TryGetValue("errors", out var errors) && errors is IDictionary<string, string[]> byField)
        {
            foreach (var key in byField.Keys.ToList())
            {
                byField[key] = byField[key].Select(Translate).ToArray();
            }
        }
    }

    /// <summary>Whether a sentence (or a template with `{}`, as the test reads them from the code) is in the table.</summary>
    public bool Covers(string englishOrTemplate) =>
        exact.ContainsKey(englishOrTemplate) || templates.Any(t => t.Pattern.IsMatch(englishOrTemplate));

    private static ProblemTexts Load(string name)
    {
        using var stream = typeof(ProblemTexts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded table {name} is missing.");
        return new ProblemTexts(JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!);
    }

    [GeneratedRegex(@"\{\d*\}")]
    private static partial Regex Placeholder();
}

/// <summary><see cref="ICallerTexts"/> from the same Russian table as problem details.</summary>
public sealed class CallerTexts : ContactCenter.Core.ICallerTexts
{
    public string InCallerLanguage(string? acceptLanguage, string english) => ProblemTexts.ForHeader(acceptLanguage)?.Translate(english) ?? english;
}
