using System.Text;

namespace CallLog.Storage;

/// <summary>LIKE patterns the same on both stores (always with <c>ESCAPE '\'</c>).</summary>
internal static class Like
{
    /// <summary>"Contains", lower-cased (compare against <c>lower(column)</c>), with the pattern characters of the text escaped.</summary>
    public static string Contains(string text)
    {
        var pattern = new StringBuilder("%");
        foreach (var ch in text.ToLowerInvariant())
        {
            if (ch is '%' or '_' or '\\')
            {
                pattern.Append('\\');
            }
            pattern.Append(ch);
        }
        return pattern.Append('%').ToString();
    }
}
