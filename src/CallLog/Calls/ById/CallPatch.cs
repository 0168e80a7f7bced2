using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallLog.Calls.ById;

/// <summary>
/// PATCH /api/v1/calls/{id}: a JSON Merge Patch (RFC 7396) applied to the stored call, then checked as
/// a whole call would be. The lifecycle: queued may become in-progress, completed or failed; in-progress
/// may become completed or failed; completed, failed and canceled are final. When the end time arrives
/// without a duration, the duration is the time between start and end. A placed call's variables are
/// not the runtime's to change.
/// </summary>
internal static class CallPatch
{
    public static WriteDecision Apply(StoredCall current, JsonElement patch, string id)
    {
        if (patch.ValueKind != JsonValueKind.Object)
        {
            return WriteDecision.Fail(WriteOutcome.Invalid, "a merge patch must be a JSON object of the fields to change");
        }
        var stored = current.Detail.Status;
        if (stored is CallStatus.Completed or CallStatus.Failed or CallStatus.Canceled && patch.TryGetProperty("status", out var status) &&
            !(status.ValueKind == JsonValueKind.String && CallEnums.TryParseStatus(status.GetString(), out var wanted) && wanted == stored))
        {
            return WriteDecision.Fail(WriteOutcome.Conflict,
                $"the call is {CallEnums.Name(stored)}, which is final: its status cannot change (queued calls become in-progress, completed or failed; in-progress calls completed or failed)");
        }
        if (patch.TryGetProperty("variables", out _))
        {
            return WriteDecision.Fail(WriteOutcome.Invalid, "variables: a placed call's variables cannot be changed");
        }

        var merged = JsonSerializer.SerializeToNode(current.Detail, CallLogJson.Wire.CallDetail)!.AsObject();
        merged.Remove("variables");
        Merge(merged, patch);
        if (!patch.TryGetProperty("duration_seconds", out _) &&
            (patch.TryGetProperty("ended_at", out _) || patch.TryGetProperty("started_at", out _)))
        {
            merged["duration_seconds"] = Duration(merged);
        }

        using var document = JsonDocument.Parse(merged.ToJsonString());
        // The merged call carries the stored agent's and contact's fields; only what the patch names is
        // the patch's to say about them (a null removed from the merge is a stated null).
        return CallJsonReader.ReadWrite(document.RootElement, id, out var problem, kept: stored) is { } write
            ? WriteDecision.Store(write with { Call = write.Call with { Stated = CallJsonReader.StatedIn(patch) } })
            : WriteDecision.Fail(WriteOutcome.Invalid, problem);
    }

    /// <summary>RFC 7396: objects merge member by member, null removes, anything else replaces.</summary>
    private static void Merge(JsonObject target, JsonElement patch)
    {
        foreach (var member in patch.EnumerateObject())
        {
            var existing = target[member.Name];
            target.Remove(member.Name);
            if (member.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (member.Value.ValueKind == JsonValueKind.Object)
            {
                var child = existing as JsonObject ?? [];
                Merge(child, member.Value);
                target[member.Name] = child;
            }
            else
            {
                target[member.Name] = JsonNode.Parse(member.Value.GetRawText());
            }
        }
    }

    /// <summary>Seconds from start to end, or null when either is missing or unreadable (validation then names it).</summary>
    private static int? Duration(JsonObject call)
    {
        if (call["started_at"] is JsonValue started && started.TryGetValue<string>(out var s) && UtcSecondsConverter.TryParse(s, out var start) &&
            call["ended_at"] is JsonValue ended && ended.TryGetValue<string>(out var e) && UtcSecondsConverter.TryParse(e, out var end) &&
            end >= start && (end - start).TotalSeconds <= int.MaxValue)
        {
            return (int)(end - start).TotalSeconds;
        }
        return null;
    }
}
