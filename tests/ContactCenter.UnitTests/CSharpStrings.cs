using System.Text;

namespace ContactCenter.UnitTests;

/// <summary>
/// The string literals among a stretch of C# source, read as the compiler reads them: regular (`\"` escapes), verbatim
/// (`@"..."`, `""` for a quote), interpolated (`$"..."`, each hole — whatever strings it holds — read as `{}`, `{{` as
/// a brace) and raw (`"""..."""`, skipped: the code keeps SQL in those). Character literals are skipped. Enough for the
/// sentences a program raises, not a full C# lexer.
/// </summary>
public static class CSharpStrings
{
    /// <summary>
    /// The literals of the arguments of the call whose `(` is just before <paramref name="start"/>, up to its `)` (or of the
    /// collection expression whose `[` is: <paramref name="open"/> '[' and <paramref name="close"/> ']').
    /// </summary>
    public static List<string> OfCall(string text, int start, char open = '(', char close = ')')
    {
        var found = new List<string>();
        var depth = 1;
        var i = start;
        while (i < text.Length && depth > 0)
        {
            var c = text[i];
            if (c == open)
            {
                depth++;
                i++;
            }
            else if (c == close)
            {
                depth--;
                i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] is '/' or '*')
            {
                i = SkipComment(text, i);
            }
            else if (c == '\'')
            {
                i = SkipChar(text, i);
            }
            else if (c is '"' or '$' or '@' && StartsLiteral(text, i))
            {
                var (value, end) = Read(text, i);
                if (value is not null)
                {
                    found.Add(value);
                }
                i = end;
            }
            else
            {
                i++;
            }
        }
        return found;
    }

    private static bool StartsLiteral(string text, int i) =>
        text[i] == '"' || (i + 1 < text.Length && (text[i + 1] == '"' || (text[i + 1] is '$' or '@' && i + 2 < text.Length && text[i + 2] == '"')));

    /// <summary>The literal at <paramref name="i"/> (null for a raw one) and the index after it.</summary>
    private static (string? Value, int End) Read(string text, int i)
    {
        var interpolated = false;
        var verbatim = false;
        while (text[i] != '"')
        {
            interpolated |= text[i] == '$';
            verbatim |= text[i] == '@';
            i++;
        }
        if (text.AsSpan(i).StartsWith("\"\"\""))
        {
            var close = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
            return (null, close < 0 ? text.Length : close + 3);
        }
        var value = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                if (verbatim && i + 1 < text.Length && text[i + 1] == '"')
                {
                    value.Append('"');
                    i += 2;
                    continue;
                }
                return (value.ToString(), i + 1);
            }
            if (c == '\\' && !verbatim && i + 1 < text.Length)
            {
                value.Append(text[i + 1] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '0' => '\0', var e => e });
                i += 2;
                continue;
            }
            if (interpolated && c is '{' or '}')
            {
                if (i + 1 < text.Length && text[i + 1] == c)
                {
                    value.Append(c);
                    i += 2;
                    continue;
                }
                if (c == '{')
                {
                    value.Append("{}");
                    i = SkipHole(text, i + 1);
                    continue;
                }
            }
            value.Append(c);
            i++;
        }
        return (value.ToString(), i);
    }

    /// <summary>Past the `}` that closes a hole, skipping the strings, characters and braces inside it.</summary>
    private static int SkipHole(string text, int i)
    {
        var depth = 1;
        while (i < text.Length && depth > 0)
        {
            var c = text[i];
            if (c == '{')
            {
                depth++;
                i++;
            }
            else if (c == '}')
            {
                depth--;
                i++;
            }
            else if (c == '\'')
            {
                i = SkipChar(text, i);
            }
            else if (c is '"' or '$' or '@' && StartsLiteral(text, i))
            {
                i = Read(text, i).End;
            }
            else
            {
                i++;
            }
        }
        return i;
    }

    private static int SkipComment(string text, int i)
    {
        var end = text[i + 1] == '/' ? text.IndexOf('\n', i) : text.IndexOf("*/", i + 2, StringComparison.Ordinal);
        return end < 0 ? text.Length : end + (text[i + 1] == '/' ? 1 : 2);
    }

    private static int SkipChar(string text, int i)
    {
        var end = text.IndexOf('\'', i + (i + 1 < text.Length && text[i + 1] == '\\' ? 3 : 2));
        return end < 0 || end - i > 8 ? i + 1 : end + 1;
    }
}
