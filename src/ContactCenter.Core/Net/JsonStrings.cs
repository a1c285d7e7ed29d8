namespace ContactCenter.Core.Net;

/// <summary>
/// Lone UTF-16 surrogates written as JSON escapes (`"\ud800"`): System.Text.Json parses them without complaint and
/// throws an <see cref="InvalidOperationException"/> only when the string is read, deep inside a mapper (a 500). Real
/// providers send them: VK cuts a long text between the two halves of an emoji. Webhooks that parse into a document
/// repair the text first, so the message is stored with U+FFFD where the half character was (nothing else is lost).
/// </summary>
public static class JsonStrings
{
    private static readonly byte[] Replacement = "\\ufffd"u8.ToArray();

    /// <returns><paramref name="json"/> itself when it has no lone surrogate escape; else a copy with each one written
    /// as `\ufffd`. Only escapes are looked at: raw UTF-8 cannot hold a surrogate, and invalid UTF-8 is the parser's to refuse.</returns>
    public static byte[] RepairLoneSurrogates(byte[] json)
    {
        List<int>? lone = null;
        for (var i = 0; i < json.Length - 1; i++)
        {
            if (json[i] != '\\')
            {
                continue;
            }
            if (json[i + 1] != 'u')
            {
                i++; // an escape such as \\ or \" : its second byte is not the start of another escape
                continue;
            }
            var unit = Unit(json, i);
            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (Unit(json, i + 6) is >= 0xDC00 and <= 0xDFFF)
                {
                    i += 11; // a pair
                    continue;
                }
                (lone ??= []).Add(i);
            }
            else if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                (lone ??= []).Add(i);
            }
            i += 5;
        }
        if (lone is null)
        {
            return json;
        }
        var repaired = (byte[])json.Clone();
        foreach (var at in lone)
        {
            Replacement.CopyTo(repaired, at);
        }
        return repaired;
    }

    /// <summary>The code unit of the `\uXXXX` escape at <paramref name="at"/>, or -1 when there is none.</summary>
    private static int Unit(byte[] json, int at)
    {
        if (at + 5 >= json.Length || json[at] != '\\' || json[at + 1] != 'u')
        {
            return -1;
        }
        var value = 0;
        for (var k = at + 2; k < at + 6; k++)
        {
            var digit = json[k] switch
            {
                >= (byte)'0' and <= (byte)'9' => json[k] - '0',
                >= (byte)'a' and <= (byte)'f' => json[k] - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => json[k] - 'A' + 10,
                _ => -1,
            };
            if (digit < 0)
            {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
