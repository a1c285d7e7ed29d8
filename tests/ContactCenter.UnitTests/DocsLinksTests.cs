using System.Text.RegularExpressions;

namespace ContactCenter.UnitTests;

/// <summary>
/// The README and docs/ are read on a clone of this repository only: every relative link must reach a file or folder
/// inside it (a link to a sibling checkout or a moved page is a dead end for the reader), and the README stays one page.
/// </summary>
public sealed partial class DocsLinksTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string>("README.md");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Order())
        {
            pages.Add(Path.GetRelativePath(Root, file).Replace('\\', '/'));
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_resolves_inside_the_repository(string page)
    {
        var path = Path.Combine(Root, page);
        var broken = new List<string>();
        foreach (var target in Links(File.ReadAllText(path)))
        {
            var file = target.Split('#', 2)[0];
            if (file.Length == 0)
            {
                continue; // an anchor on the same page
            }
            var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
            var inside = resolved.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || resolved == Root;
            if (!inside || !(File.Exists(resolved) || Directory.Exists(resolved)))
            {
                broken.Add(inside ? $"{target} (missing)" : $"{target} (outside the repository)");
            }
        }
        Assert.True(broken.Count == 0, $"{page}: {string.Join(", ", broken)}");
    }

    [Fact]
    public void The_readme_is_one_page()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md")).Length;
        Assert.InRange(lines, 20, 160);
    }

    [Fact]
    public void The_link_reader_sees_relative_links_and_skips_web_addresses_and_code()
    {
        var text = """
            See [a](docs/a.md), [b](../outside.md#x) and ![pic](docs/p.png "title").
            Not [web](https://example.test/x), [mail](mailto:a@b.test) or [anchor](#top).
            ```
            [in code](nowhere.md)
            ```
            Nor `[inline](code.md)`.
            """;
        Assert.Equal(["docs/a.md", "../outside.md#x", "docs/p.png"], Links(text));
    }

    /// <summary>The relative targets of Markdown links and images, outside fenced and inline code.</summary>
    private static List<string> Links(string markdown)
    {
        var prose = FencedCode().Replace(markdown, "");
        prose = InlineCode().Replace(prose, "");
        return [.. Link().Matches(prose)
            .Select(m => m.Groups["target"].Value)
            .Where(t => !UriScheme().IsMatch(t) && !t.StartsWith('#'))];
    }

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

    [GeneratedRegex(@"!?\[[^\]]*\]\((?<target>[^)\s]+)(\s+""[^""]*"")?\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^\s*```.*?^\s*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial Regex UriScheme();
}
