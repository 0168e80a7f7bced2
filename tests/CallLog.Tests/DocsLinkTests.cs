using System.Text;
using System.Text.RegularExpressions;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>Every link in the README and docs/ leads somewhere: a file or folder of the repository, and a heading where it names one.</summary>
public sealed partial class DocsLinkTests
{
    [GeneratedRegex(@"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"`[^`]*`")]
    private static partial Regex InlineCode();

    public static TheoryData<string> Pages()
    {
        var pages = new TheoryData<string> { "README.md", "bench/README.md" };
        foreach (var page in Directory.GetFiles(Path.Combine(Repository.Root, "docs"), "*.md").Order(StringComparer.Ordinal))
        {
            pages.Add(Path.GetRelativePath(Repository.Root, page).Replace('\\', '/'));
        }
        return pages;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryLinkResolves(string page)
    {
        var path = Path.Combine(Repository.Root, page);
        var broken = new List<string>();
        foreach (var target in Links(File.ReadAllText(path)))
        {
            if (target.StartsWith("http://", StringComparison.Ordinal) || target.StartsWith("https://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }
            var hash = target.IndexOf('#', StringComparison.Ordinal);
            var file = hash < 0 ? target : target[..hash];
            var anchor = hash < 0 ? null : target[(hash + 1)..];
            var resolved = file.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (anchor is not null && !(resolved.EndsWith(".md", StringComparison.Ordinal) && Anchors(File.ReadAllText(resolved)).Contains(anchor)))
            {
                broken.Add($"{target}: no such heading");
            }
        }
        Assert.True(broken.Count == 0, $"{page} has links that lead nowhere:\n{string.Join('\n', broken)}");
    }

    /// <summary>Link targets outside code blocks and inline code.</summary>
    private static IEnumerable<string> Links(string markdown)
    {
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (inFence)
            {
                continue;
            }
            foreach (Match match in Link().Matches(InlineCode().Replace(line, "")))
            {
                yield return match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value;
            }
        }
    }

    /// <summary>The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }
            if (inFence || !line.StartsWith('#'))
            {
                continue;
            }
            var slug = new StringBuilder();
            foreach (var c in line.TrimStart('#').Trim().ToLowerInvariant())
            {
                if (char.IsLetterOrDigit(c) || c is '-' or '_')
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }
            anchors.Add(slug.ToString());
        }
        return anchors;
    }
}
