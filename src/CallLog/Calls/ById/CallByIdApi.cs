using System.Globalization;
using System.Security.Claims;
using CallLog.Authentication;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CallLog.Calls.ById;

/// <summary>One call by id: read it in full, create or replace it, delete it. ETags make writes safe to race.</summary>
internal static class CallByIdApi
{
    public static RouteGroupBuilder MapCallById(this RouteGroupBuilder calls)
    {
        calls.MapGet("/{id}", GetCall).RequireAuthorization(Permissions.ReadCalls)
            .Documented("getCall", "Calls", "Get one call in full",
                "The call in the list's shape plus `transcript` and `metadata`, with an `ETag`. Another workspace's call is 404, never 403. Needs `can_read_calls`.")
            .Produces<CallDetail>()
            .Versioned(ifMatch: false)
            .Errors(400, 404);
        calls.MapPut("/{id}", PutCall).RequireAuthorization(Permissions.WriteCalls)
            .Documented("putCall", "Calls", "Create or replace a call",
                "The whole call (the `id` may be left out, or must match the URL). 201 when created, 200 when replaced; the same body twice changes nothing. " +
                "Agents and contacts it names are upserted with the fields it states: `agent_name` or a contact's `name`, `email` or `company` left out leaves " +
                "that agent's or contact's value as it is (it is shared with their other calls); an explicit `null` clears it. `If-Match` makes it conditional. Needs `can_write_calls`.")
            .Accepts<CallInput>("application/json")
            .Produces<CallDetail>(StatusCodes.Status201Created)
            .Produces<CallDetail>()
            .Versioned(ifMatch: true)
            .Errors(400, 412, 413, 415);
        calls.MapPatch("/{id}", PatchCall).RequireAuthorization(Permissions.WriteCalls)
            .Documented("patchCall", "Calls", "Change part of a call (JSON Merge Patch)",
                "RFC 7396: the fields to change; `null` removes (nested `contact` and `metadata` merge member by member). `in-progress` may become `completed` " +
                "or `failed`, which are final (409). Without `duration_seconds`, a new `ended_at` or `started_at` recomputes it. The agent's and contact's own fields " +
                "change only where the patch names them, so a new `agent_id` or contact `id` alone never copies the previous one's name onto it. Needs `can_write_calls`.")
            .Accepts<CallPatchInput>("application/merge-patch+json", "application/json")
            .Produces<CallDetail>()
            .Versioned(ifMatch: true)
            .Errors(400, 404, 409, 412, 413, 415);
        calls.MapDelete("/{id}", DeleteCall).RequireAuthorization(Permissions.WriteCalls)
            .Documented("deleteCall", "Calls", "Delete a call", "The call, its transcript and metadata are gone; counts stay exact. `If-Match` makes it conditional. Needs `can_write_calls`.")
            .Produces(StatusCodes.Status204NoContent)
            .Versioned(ifMatch: true)
            .Errors(400, 404, 412);
        return calls;
    }

    public static async Task<IResult> GetCall(string id, HttpResponse response, ClaimsPrincipal user, CallWrites calls, CancellationToken cancellationToken)
    {
        // Another workspace's call is a 404 too, never a 403: ids reveal nothing across workspaces.
        if (await calls.GetAsync(user.WorkspaceId(), id, cancellationToken) is not { } stored)
        {
            return NotFound(id);
        }
        response.Headers.ETag = ETag(stored.Version);
        return TypedResults.Ok(stored.Detail);
    }

    public static async Task<IResult> PutCall(string id, HttpRequest request, ClaimsPrincipal user, CallWrites calls, CancellationToken cancellationToken)
    {
        if (!TryIfMatch(request, out var ifMatch))
        {
            return PreconditionFailed();
        }
        return await JsonBody.HandleAsync(request, async body =>
            CallJsonReader.ReadWrite(body, id, out var problem) is not { } write
                ? TypedResults.BadRequest(ApiError.Validation($"The call is not valid: {problem}."))
                : Written(request.HttpContext.Response, id, await calls.PutAsync(user.WorkspaceId(), write, ifMatch, cancellationToken)),
            cancellationToken);
    }

    /// <summary>JSON Merge Patch (application/merge-patch+json or application/json).</summary>
    public static async Task<IResult> PatchCall(string id, HttpRequest request, ClaimsPrincipal user, CallWrites calls, CancellationToken cancellationToken)
    {
        if (!TryIfMatch(request, out var ifMatch))
        {
            return PreconditionFailed();
        }
        return await JsonBody.HandleAsync(request, async body =>
            Written(request.HttpContext.Response, id, await calls.PatchAsync(user.WorkspaceId(), id, body, ifMatch, cancellationToken)),
            cancellationToken);
    }

    private static IResult Written(HttpResponse response, string id, WriteResult result)
    {
        if (result.Call is { } stored && result.Outcome is WriteOutcome.Created or WriteOutcome.Replaced or WriteOutcome.Unchanged)
        {
            response.Headers.ETag = ETag(stored.Version);
        }
        return result.Outcome switch
        {
            WriteOutcome.Created => TypedResults.Created($"/api/v1/calls/{Uri.EscapeDataString(id)}", result.Call!.Detail),
            WriteOutcome.Replaced or WriteOutcome.Unchanged => TypedResults.Ok(result.Call!.Detail),
            WriteOutcome.NotFound => NotFound(id),
            WriteOutcome.Invalid => TypedResults.BadRequest(ApiError.Validation($"The call is not valid: {result.Problem}.")),
            WriteOutcome.Conflict => ApiError.Respond(StatusCodes.Status409Conflict, ErrorCodes.Conflict,
                $"The change conflicts with the call's lifecycle: {result.Problem}."),
            _ => PreconditionFailed(),
        };
    }

    public static async Task<IResult> DeleteCall(string id, HttpRequest request, ClaimsPrincipal user, CallWrites calls, CancellationToken cancellationToken)
    {
        if (!TryIfMatch(request, out var ifMatch))
        {
            return PreconditionFailed();
        }
        return await calls.DeleteAsync(user.WorkspaceId(), id, ifMatch, cancellationToken) switch
        {
            WriteOutcome.Deleted => TypedResults.NoContent(),
            WriteOutcome.NotFound => NotFound(id),
            _ => PreconditionFailed(),
        };
    }

    private static string ETag(int version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>If-Match as this API writes ETags: <c>"N"</c>, or <c>*</c>. Anything else can never match.</summary>
    private static bool TryIfMatch(HttpRequest request, out int? version)
    {
        version = null;
        var header = request.Headers.IfMatch.ToString();
        if (header.Length == 0)
        {
            return true;
        }
        if (header.Trim() == "*")
        {
            version = CallWrites.AnyVersion;
            return true;
        }
        if (EntityTagHeaderValue.TryParse(header.Trim(), out var tag) && !tag.IsWeak &&
            int.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            version = parsed;
            return true;
        }
        return false;
    }

    private static JsonHttpResult<ApiError> NotFound(string id) =>
        ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No call with id '{(id.Length <= 60 ? id : id[..60] + "...")}'.");

    private static JsonHttpResult<ApiError> PreconditionFailed() =>
        ApiError.Respond(StatusCodes.Status412PreconditionFailed, ErrorCodes.PreconditionFailed,
            "The call changed since the ETag in If-Match was read; GET it again and retry.");
}
