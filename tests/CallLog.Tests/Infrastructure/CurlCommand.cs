using System.Text;
using System.Text.RegularExpressions;

namespace CallLog.Tests.Infrastructure;

/// <summary>A <c>curl</c> command as the README and docs/ show it: method, URL, headers and body.</summary>
public sealed record CurlCommand(string Source, string Method, Uri Url, IReadOnlyList<(string Name, string Value)> Headers, string? Body)
{
    /// <summary>
    /// Every curl command in the ```sh blocks of a Markdown file, in order. Commands abbreviated with a bare
    /// <c>...</c> or with a placeholder in the URL (<c>wh_1c1e...</c>) are left out: they are not runnable as shown.
    /// </summary>
    public static IEnumerable<CurlCommand> In(string markdownFile)
    {
        var text = File.ReadAllText(markdownFile);
        foreach (Match block in Regex.Matches(text, "```sh\n(.*?)```", RegexOptions.Singleline))
        {
            foreach (var words in Commands(block.Groups[1].Value))
            {
                if (words.Count == 0 || words[0] != "curl" || words.Contains("..."))
                {
                    continue;
                }
                var command = Parse($"{Path.GetFileName(markdownFile)}: {string.Join(' ', words)}", words);
                if (command is not null && !command.Url.OriginalString.Contains("...", StringComparison.Ordinal))
                {
                    yield return command;
                }
            }
        }
    }

    private static CurlCommand? Parse(string source, List<string> words)
    {
        string? method = null, url = null, body = null;
        var headers = new List<(string, string)>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-X":
                    method = words[++i];
                    break;
                case "-H":
                    var header = words[++i];
                    var colon = header.IndexOf(':', StringComparison.Ordinal);
                    headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                    break;
                case "-d" or "--data":
                    body = words[++i];
                    break;
                case "-i" or "-s" or "-f":
                    break;
                default:
                    if (words[i].StartsWith("http", StringComparison.Ordinal))
                    {
                        url = words[i];
                    }
                    break;
            }
        }
        return url is null ? null : new CurlCommand(source, method ?? (body is null ? "GET" : "POST"), new Uri(url), headers, body);
    }

    /// <summary>
    /// The shell's commands of a block, as words: single and double quotes (a quoted newline stays in the
    /// word), backslash-newline continues a line, # starts a comment; no expansions.
    /// </summary>
    private static IEnumerable<List<string>> Commands(string block)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
                word.Clear();
                inWord = false;
            }
        }
        for (var i = 0; i < block.Length; i++)
        {
            var c = block[i];
            if (c is '\'' or '"')
            {
                var end = block.IndexOf(c, i + 1);
                word.Append(block, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '\\' && i + 1 < block.Length && block[i + 1] == '\n')
            {
                EndWord();
                i++;
            }
            else if (c == '#' && !inWord)
            {
                i = block.IndexOf('\n', i) is var newline and >= 0 ? newline - 1 : block.Length;
            }
            else if (c == '\n')
            {
                EndWord();
                yield return words;
                words = [];
            }
            else if (char.IsWhiteSpace(c))
            {
                EndWord();
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        EndWord();
        yield return words;
    }
}
