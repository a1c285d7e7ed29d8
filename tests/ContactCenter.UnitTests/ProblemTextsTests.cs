using System.Text.Json;
using System.Text.RegularExpressions;
using ContactCenter.Api.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.UnitTests;

/// <summary>
/// The Russian table of problem texts (<see cref="ProblemTexts"/>) covers the sentences the code raises: every string
/// literal passed to a problem or result factory (`Invalid(...)`, `NotFound(...)`, `Problem(...)`, `Failed(...)`...) in
/// src/ and connectors/, with each interpolation read as the table's `{}`. A new sentence without its translation fails here.
/// </summary>
public sealed partial class ProblemTextsTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Every_sentence_the_code_raises_has_its_russian()
    {
        var sentences = RaisedSentences();
        Assert.True(sentences.Count > 250, $"Only {sentences.Count} sentences were found: the scan reads nothing (were the factories renamed?)");

        var keys = Table().Keys.ToList();
        var missing = sentences.Where(s => !Covered(s.Key, keys)).Select(s => $"{s.Value}: {s.Key}").ToList();

        Assert.True(missing.Count == 0, "Not in Infrastructure/problem-texts-ru.json:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void Each_translation_carries_every_value_its_english_inserts()
    {
        var table = Table();

        foreach (var (english, russian) in table.Where(e => !e.Key.StartsWith('=')))
        {
            var tokens = Placeholder().Matches(english).Select((m, i) => m.Value == "{}" ? $"{{{i}}}" : m.Value).ToList();
            Assert.True(russian.Trim().Length > 0, english);
            // {0} inserts the value as it is, {0~} through the table's words ("=won"): either, once.
            Assert.All(tokens, t => Assert.True(CountOf(russian, t) + CountOf(russian, t[..^1] + "~}") == 1, $"'{english}' -> '{russian}': {t} must appear once"));
            Assert.True(Placeholder().Matches(russian.Replace("~}", "}", StringComparison.Ordinal)).Count == tokens.Count, $"'{english}' -> '{russian}': other placeholders");
        }
    }

    [Fact]
    public void A_template_puts_the_values_where_the_russian_has_them()
    {
        var russian = ProblemTexts.Russian.Translate("The request body has a value of the wrong type at $.ids[2].");

        Assert.Contains("$.ids[2]", russian, StringComparison.Ordinal);
        Assert.DoesNotContain("{0}", russian, StringComparison.Ordinal);
        Assert.NotEqual("The request body has a value of the wrong type at $.ids[2].", russian);
        Assert.Equal("No sentence of this API says this.", ProblemTexts.Russian.Translate("No sentence of this API says this."));
    }

    [Fact]
    public void A_value_that_is_a_word_of_the_api_is_said_in_russian_too()
    {
        Assert.Equal("Сделка закрыта (выиграна); переоткройте её, прежде чем переносить.",
            ProblemTexts.Russian.Translate("The deal is closed (won); reopen it before moving it."));
        Assert.Equal("Лид уже в статусе «сконвертирован».", ProblemTexts.Russian.Translate("The lead is already converted."));
        Assert.EndsWith("прежде чем удалить её.", ProblemTexts.Russian.Translate("Stage 'Talks' has 2 deal(s): move them to another stage before you remove it."), StringComparison.Ordinal);
        // A name is a name: only the placeholders marked ~ go through the words.
        Assert.Contains("'won'", ProblemTexts.Russian.Translate("Stage 'won' has 2 deal(s): move them to another stage before you remove it."), StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_is_translated_in_title_detail_and_field_errors()
    {
        var problem = new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["title"] = ["A title of at most 500 characters is required."] })
        {
            Title = "One or more validation errors occurred.",
            Detail = "There is no such deal.",
        };

        ProblemTexts.Russian.Apply(problem);

        Assert.DoesNotContain(new[] { problem.Title, problem.Detail, problem.Errors["title"][0] }, t => !Regex.IsMatch(t!, "[а-яА-Я]"));
    }

    [Theory]
    [InlineData("ru", true)]
    [InlineData("ru-RU,ru;q=0.9,en-US;q=0.8", true)]
    [InlineData("en-US,en;q=0.9,ru;q=0.8", false)]
    [InlineData("de-DE, ru;q=0.5", true)]
    [InlineData("fr", false)]
    [InlineData("", false)]
    public void Russian_is_chosen_when_it_comes_before_english(string header, bool russian)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = header;

        Assert.Equal(russian, ProblemTexts.For(context.Request) is not null);
    }

    /// <summary>Sentence or piece of one (with `{}` for each interpolation) -> where it is raised.</summary>
    private static Dictionary<string, string> RaisedSentences()
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { "src", "connectors" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Root, d), "*.cs", SearchOption.AllDirectories))
                     .Where(f => !Regex.IsMatch(f, @"[\\/](bin|obj|node_modules|wwwroot)[\\/]")))
        {
            var text = File.ReadAllText(file);
            // The lifecycle types answer their refusals as plain strings: every literal of theirs is one.
            var calls = file.EndsWith("Lifecycle.cs", StringComparison.Ordinal)
                ? [(Index: text.IndexOf('{', StringComparison.Ordinal) + 1, Length: 0, List: false)]
                : Factory().Matches(text).Select(m => (m.Index, m.Length, List: false))
                    .Concat(ErrorsAssignment().Matches(text).Select(m => (m.Index, m.Length, List: true))).ToList();
            foreach (var call in calls)
            {
                var strings = call.List ? CSharpStrings.OfCall(text, call.Index + call.Length, '[', ']') : CSharpStrings.OfCall(text, call.Index + call.Length);
                foreach (var sentence in strings)
                {
                    // Words for a person: a field name or a code ("contact.phone", "won") is not one.
                    if (sentence.Trim().Contains(' ', StringComparison.Ordinal) && sentence.Trim().Length >= 8 && sentence.Any(char.IsAsciiLetter))
                    {
                        found.TryAdd(sentence, $"{Path.GetRelativePath(Root, file)}:{text[..call.Index].Count(c => c == '\n') + 1}");
                    }
                }
            }
        }
        return found;
    }

    /// <summary>
    /// A sentence is covered when the table has it, one of the table's templates reads it, or it is a piece of a sentence
    /// the table has (the code builds some of them from pieces: `field + " is a number."` is the table's `'{}' is a number.`).
    /// </summary>
    private static bool Covered(string sentence, IReadOnlyCollection<string> keys)
    {
        if (ProblemTexts.Russian.Covers(sentence))
        {
            return true;
        }
        var piece = new Regex(string.Join(".*?", sentence.Trim().Split("{}").Select(Regex.Escape)), RegexOptions.Singleline | RegexOptions.CultureInvariant);
        return keys.Any(piece.IsMatch);
    }

    private static Dictionary<string, string> Table()
    {
        using var stream = typeof(ProblemTexts).Assembly.GetManifestResourceStream("problem-texts-ru.json")!;
        return JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
    }

    private static int CountOf(string text, string token) => (text.Length - text.Replace(token, "", StringComparison.Ordinal).Length) / token.Length;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContactCenter.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("The repository root (ContactCenter.sln) was not found above the test binaries.");
    }

    [GeneratedRegex(@"\b(?:Invalid|NotFound|Problem|Failed|Conflict|ValidationProblem|Refused|Fail|BadRequest|BadHttpRequestException|Require|Forbidden|ErrorOf|Failure|Unauthorized|Gone|TooLarge|Unsupported|Locked|Unprocessable|ReplyResult|SnoozeResult|Merge)[A-Za-z]*(?:<[^>()]*>)?\(|\b(?:v|errors|Errors|validation)\.Add\(|\breturn \((?="")|[?:] \((?="")")]
    private static partial Regex Factory();

    // A field's error written straight into a validation dictionary: `errors["email"] = ["..."]` (a helper's review, session 30).
    [GeneratedRegex(@"\b(?:errors|Errors)\[[^\]\r\n]*\] = \[")]
    private static partial Regex ErrorsAssignment();

    [GeneratedRegex(@"\{\d*\}")]
    private static partial Regex Placeholder();
}
