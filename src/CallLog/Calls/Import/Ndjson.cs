using System.Text.Json;

namespace CallLog.Calls.Import;

/// <summary>Newline-delimited JSON in the API's call shape: what import reads and export writes.</summary>
internal static class Ndjson
{
    /// <summary>Reads lines as they come; blank lines are skipped but still counted, so numbers match an editor's.</summary>
    public static async IAsyncEnumerable<ImportLine> ReadAsync(TextReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            var call = CallJsonReader.Read(text, out var error);
            yield return new ImportLine(number, call, error);
            if (call is null)
            {
                yield break;
            }
        }
    }

    public static async Task<long> WriteAsync(IAsyncEnumerable<Call> calls, Stream output, CancellationToken cancellationToken)
    {
        long written = 0;
        await using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = CallLogJson.Wire.Options.Encoder });
        await foreach (var call in calls.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, call, CallLogJson.Wire.Call);
            writer.Flush();
            output.WriteByte((byte)'\n');
            writer.Reset(); // each line is a document of its own
            if (++written % 1024 == 0)
            {
                await output.FlushAsync(cancellationToken);
            }
        }
        await output.FlushAsync(cancellationToken);
        return written;
    }
}
