using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace ContactCenter.Connectors.Email;

/// <summary>
/// Customer HTML made safe for the inbox: HtmlSanitizer's allow-list (no script, no event handlers, no javascript:
/// or data: URLs, no forms), and remote images blocked by default (their address moves to `data-remote-src`, so a
/// client may offer "show images"); inline `cid:` images keep their content id in `data-cid`.
/// </summary>
public static partial class EmailHtml
{
    private static readonly HtmlSanitizer Sanitizer = CreateSanitizer();

    private static HtmlSanitizer CreateSanitizer()
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedSchemes.Clear();
        foreach (var scheme in new[] { "http", "https", "mailto", "tel", "cid" })
        {
            sanitizer.AllowedSchemes.Add(scheme);
        }
        foreach (var tag in new[] { "form", "input", "button", "select", "option", "textarea", "fieldset", "legend", "label" })
        {
            sanitizer.AllowedTags.Remove(tag);
        }
        // CSS can load remote content too (tracking pixels as backgrounds).
        // ...and position an overlay over the reader's whole screen (position: fixed; z-index: 99999).
        foreach (var property in new[] { "background", "background-image", "list-style", "list-style-image", "content", "cursor", "behavior",
                     "position", "z-index", "top", "left", "right", "bottom", "inset" })
        {
            sanitizer.AllowedCssProperties.Remove(property);
        }
        sanitizer.AllowedAttributes.Add("data-remote-src");
        sanitizer.AllowedAttributes.Add("data-cid");
        // Only the classes and ids mail clients mark quoted history with (the reader folds it: lib/email.ts); any other
        // would borrow the app's own styles.
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedAttributes.Add("id");
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement element)
            {
                KeepQuoteMarkers(element);
            }
            if (e.Node is IElement { TagName: "IMG" } img)
            {
                BlockImage(img);
            }
            else if (e.Node is IElement { TagName: "A" } link && link.HasAttribute("href"))
            {
                link.SetAttribute("target", "_blank");
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        return sanitizer;
    }

    private static readonly HashSet<string> QuoteClasses = new(StringComparer.Ordinal)
    {
        "gmail_quote", "gmail_extra", "gmail_attr", "moz-cite-prefix", "yahoo_quoted", "OutlookMessageHeader",
    };

    private static readonly HashSet<string> QuoteIds = new(StringComparer.Ordinal) { "appendonsend", "divRplyFwdMsg" };

    private static void KeepQuoteMarkers(IElement element)
    {
        if (element.GetAttribute("class") is { } classes)
        {
            var kept = classes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(QuoteClasses.Contains).ToList();
            if (kept.Count == 0)
            {
                element.RemoveAttribute("class");
            }
            else
            {
                element.SetAttribute("class", string.Join(' ', kept));
            }
        }
        if (element.GetAttribute("id") is { } id && !QuoteIds.Contains(id))
        {
            element.RemoveAttribute("id");
        }
    }

    private static void BlockImage(IElement img)
    {
        var src = img.GetAttribute("src") ?? "";
        img.RemoveAttribute("src");
        img.RemoveAttribute("srcset");
        if (src.StartsWith("cid:", StringComparison.OrdinalIgnoreCase))
        {
            img.SetAttribute("data-cid", src[4..]);
        }
        else if (src.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            img.SetAttribute("data-remote-src", src);
        }
    }

    /// <summary>Sanitised HTML; <paramref name="remoteImages"/> says whether remote images were blocked.</summary>
    public static string Sanitize(string html, out bool remoteImages)
    {
        var cleaned = Sanitizer.Sanitize(html);
        remoteImages = cleaned.Contains("data-remote-src", StringComparison.Ordinal);
        return cleaned;
    }

    /// <summary>Readable plain text of an HTML body (for a message that has no text part): block elements become lines.</summary>
    public static string ToText(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        var sb = new StringBuilder();
        Walk(document.Body ?? (INode)document, sb);
        return Blank().Replace(sb.ToString(), "\n\n").Trim();
    }

    private static void Walk(INode node, StringBuilder sb)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    sb.Append(Spaces().Replace(text.Data, " "));
                    break;
                case IElement e when e.TagName is "SCRIPT" or "STYLE" or "HEAD" or "TITLE":
                    break;
                case IElement { TagName: "BR" }:
                    sb.Append('\n');
                    break;
                case IElement e:
                    var block = e.TagName is "P" or "DIV" or "LI" or "TR" or "H1" or "H2" or "H3" or "H4" or "BLOCKQUOTE" or "PRE" or "TABLE" or "UL" or "OL" or "HR";
                    if (block)
                    {
                        sb.Append('\n');
                    }
                    if (e.TagName == "BLOCKQUOTE")
                    {
                        var inner = new StringBuilder();
                        Walk(e, inner);
                        foreach (var line in inner.ToString().Trim().Split('\n'))
                        {
                            sb.Append("> ").Append(line.Trim()).Append('\n');
                        }
                    }
                    else
                    {
                        Walk(e, sb);
                    }
                    if (block)
                    {
                        sb.Append('\n');
                    }
                    break;
            }
        }
    }

    [GeneratedRegex(@"[ \t\r\n\u00a0]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[ \t]*\n([ \t]*\n)+")]
    private static partial Regex Blank();
}
