using System.Text.Json;

namespace CallLog.Events;

/// <summary>One event: <c>data</c> holds <c>call</c> (as GET shows it then; only its <c>id</c> once deleted), <c>agent</c> or <c>contact</c>.</summary>
internal sealed record Event(string Id, string Type, DateTimeOffset CreatedAt, string Workspace, JsonElement Data);

/// <summary>A page of the feed, in event order. <c>NextAfter</c> is what to pass as <c>after</c> next.</summary>
internal sealed record EventPage(IReadOnlyList<Event> Events, string? NextAfter);
