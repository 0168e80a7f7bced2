using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CallLog.Authentication;
using CallLog.Calls;
using CallLog.Calls.ById;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace CallLog.Dialing;

/// <summary>
/// Placing calls (Klen's POST /api/v1/calls) and canceling them, the dial queue the voice runtime takes
/// them from, and the do-not-call list. CallLog does not dial: the runtime claims a call, dials it, and
/// writes its life with the PUT and PATCH it already uses.
/// </summary>
internal static class DialingApi
{
    private static readonly string[] ClaimFields = ["limit", "lease_seconds", "agent_id", "ids"];
    private static readonly string[] ReleaseFields = ["retry_at"];

    public static IEndpointRouteBuilder MapDialing(this IEndpointRouteBuilder routes)
    {
        var calls = routes.MapGroup("/api/v1/calls").RequireValidIds("call");
        calls.MapPost("", Place).RequireAuthorization(Permissions.InitiateCalls)
            .Documented("placeCall", "Dialing", "Place a call",
                "Queues an outbound call for the voice runtime to dial (Klen's body; `scheduled_at` and `expires_at` bound when). The call is in the list at once " +
                "(`status: queued`) and a `call.queued` event is written. An `Idempotency-Key` header makes retries safe: the same key and body within 24 h answer " +
                "the first response, the same key with another body is 409. Refused, placing nothing: an unknown agent (404), a number on the do-not-call list " +
                "(403 `do_not_call`), the key's daily budget spent (429, `Retry-After` at the next UTC day). Needs `can_initiate_calls`.")
            .Accepts<PlaceCallInput>("application/json")
            .Produces<PlacedCall>(StatusCodes.Status201Created)
            .Errors(400, 404, 409, 413, 415);
        calls.MapPost("/{id}/cancel", Cancel).RequireAuthorization(Permissions.InitiateCalls)
            .Documented("cancelCall", "Dialing", "Cancel a queued call",
                "A queued call no runtime holds becomes `canceled` (final; a `call.canceled` event); canceling it again answers the same. A call handed to a runtime, " +
                "in progress or ended is 409. Needs `can_initiate_calls`.")
            .Produces<CallDetail>()
            .Errors(400, 404, 409);

        var queue = routes.MapGroup("/api/v1/dial-queue").RequireValidIds("call").RequireAuthorization(Permissions.Dial);
        queue.MapPost("/claim", Claim)
            .Documented("claimCalls", "Dialing", "Take calls to dial",
                "Up to `limit` (1-100, default 10) due calls, oldest due first, each leased to the caller for `lease_seconds` (default 60): not before their " +
                "`scheduled_at`, not after their `expires_at` (those become failed), never on the do-not-call list (those become canceled), and within the workspace's " +
                "and each agent's `max_concurrent_calls` (leased or in progress). Two claimers never get the same call. PATCH the call to `in-progress` when dialed " +
                "(the lease ends), or release it. Needs `can_dial`.")
            .Accepts<ClaimInput>("application/json")
            .Produces<ClaimedCalls>()
            .Errors(400, 413, 415);
        queue.MapPost("/{id}/release", Release)
            .Documented("releaseCall", "Dialing", "Give a leased call back",
                "The call is due again at `retry_at` (e.g. busy, no answer; left out: at once). A call that is not leased is 409. The body may be empty. Needs `can_dial`.")
            .Accepts<ReleaseInput>("application/json")
            .Produces<CallDetail>()
            .Errors(400, 404, 409, 413, 415);

        var dnc = routes.MapGroup("/api/v1/do-not-call").RequireAuthorization(Permissions.InitiateCalls);
        dnc.MapGet("/{phone_number}", GetNumber)
            .Documented("getDoNotCall", "Dialing", "Whether a number is on the do-not-call list", "Needs `can_initiate_calls`.")
            .Produces<DoNotCallEntry>()
            .Errors(400, 404);
        dnc.MapPut("/{phone_number}", PutNumber)
            .Documented("putDoNotCall", "Dialing", "Add a number to the do-not-call list",
                "201 when added, 200 when it was there. Queued calls to it are canceled when claimed. Needs `can_initiate_calls`.")
            .Produces<DoNotCallEntry>(StatusCodes.Status201Created)
            .Produces<DoNotCallEntry>()
            .Errors(400);
        dnc.MapDelete("/{phone_number}", DeleteNumber)
            .Documented("deleteDoNotCall", "Dialing", "Remove a number from the do-not-call list", "Needs `can_initiate_calls`.")
            .Produces(StatusCodes.Status204NoContent)
            .Errors(400, 404);
        return routes;
    }

    public static async Task<IResult> Place(HttpRequest request, ClaimsPrincipal user, CallPlacer placer, CancellationToken cancellationToken)
    {
        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        if (idempotencyKey.Length > 255)
        {
            return TypedResults.BadRequest(ApiError.Validation("The Idempotency-Key header must be at most 255 characters."));
        }
        return await JsonBody.HandleAsync(request, async body =>
        {
            var now = DateTimeOffset.UtcNow;
            if (Placement.Read(body, now, out var problem) is not { } placement)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The call to place is not valid: {problem}."));
            }
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(body.GetRawText())));
            var result = await placer.PlaceAsync(user.WorkspaceId(), user.FindFirst(ApiKeyDefaults.KeyIdClaim)!.Value, placement,
                idempotencyKey.Length == 0 ? null : idempotencyKey, hash, cancellationToken);
            switch (result.Outcome)
            {
                case PlaceOutcome.Placed or PlaceOutcome.Replayed:
                    var id = JsonDocument.Parse(result.Response!).RootElement.GetProperty("id").GetString()!;
                    request.HttpContext.Response.Headers.Location = $"/api/v1/calls/{Uri.EscapeDataString(id)}";
                    return TypedResults.Text(result.Response!, "application/json", Encoding.UTF8, StatusCodes.Status201Created);
                case PlaceOutcome.IdempotencyConflict:
                    return ApiError.Respond(StatusCodes.Status409Conflict, ErrorCodes.Conflict,
                        "This Idempotency-Key was used within the last 24 hours with another body; use a new key for a new call.");
                case PlaceOutcome.UnknownAgent:
                    return ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No agent with id '{JsonFields.Clip(placement.AgentId)}'.");
                case PlaceOutcome.DoNotCall:
                    return ApiError.Respond(StatusCodes.Status403Forbidden, ErrorCodes.DoNotCall, $"{placement.PhoneNumber} is on the workspace's do-not-call list.");
                default:
                    var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
                    request.HttpContext.Response.Headers.RetryAfter = Math.Ceiling((midnight - now).TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    return ApiError.Respond(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimitExceeded,
                        $"This key may place {result.Budget} calls per UTC day and has placed them; retry after midnight UTC.");
            }
        }, cancellationToken);
    }

    public static async Task<IResult> Cancel(string id, ClaimsPrincipal user, CallPlacer placer, CancellationToken cancellationToken)
    {
        var result = await placer.CancelAsync(user.WorkspaceId(), id, cancellationToken);
        return result.Outcome switch
        {
            WriteOutcome.Replaced or WriteOutcome.Unchanged => TypedResults.Ok(result.Call!.Detail),
            WriteOutcome.NotFound => CallNotFound(id),
            _ => ApiError.Respond(StatusCodes.Status409Conflict, ErrorCodes.Conflict, $"The call cannot be canceled: {result.Problem}."),
        };
    }

    public static async Task<IResult> Claim(HttpRequest request, ClaimsPrincipal user, DialQueue queue, IOptions<DialingOptions> options, CancellationToken cancellationToken) =>
        await JsonBody.HandleAsync(request, async body =>
        {
            var e = new JsonFields();
            var valid = e.IsObjectOf(body, ClaimFields, "a claim");
            var limit = valid ? e.Integer(body, "limit", required: false, 1, 100) : null;
            var lease = valid ? e.Integer(body, "lease_seconds", required: false, 1, options.Value.MaxLeaseSeconds) : null;
            var agentId = valid && body.TryGetProperty("agent_id", out var a) && a.ValueKind != JsonValueKind.Null ? e.Id(body, "agent_id") : null;
            var ids = valid ? Ids(e, body) : null;
            if (e.First is { } problem)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The claim is not valid: {problem}."));
            }
            var calls = await queue.ClaimAsync(user.WorkspaceId(), (int)(limit ?? 10), (int)(lease ?? 60), agentId, ids, cancellationToken);
            return TypedResults.Json(new ClaimedCalls(calls), CallLogJson.Wire.ClaimedCalls);
        }, cancellationToken);

    private static List<string>? Ids(JsonFields e, JsonElement body)
    {
        if (!e.TryGet(body, "ids", required: false, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is 0 or > 100
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || !JsonFields.IsValidId(v.GetString()!)))
        {
            e.Fail("ids", "must be a list of 1-100 call ids");
            return null;
        }
        return [.. value.EnumerateArray().Select(v => v.GetString()!)];
    }

    public static async Task<IResult> Release(string id, HttpRequest request, ClaimsPrincipal user, DialQueue queue, CancellationToken cancellationToken)
    {
        // An empty body is a release for now; a body says when.
        if (request.ContentLength is null or 0 && !request.HasJsonContentType())
        {
            return Released(id, await queue.ReleaseAsync(user.WorkspaceId(), id, null, cancellationToken));
        }
        return await JsonBody.HandleAsync(request, async body =>
        {
            var e = new JsonFields();
            var retryAt = e.IsObjectOf(body, ReleaseFields, "a release") ? CallJsonReader.Timestamp(e, body, "retry_at", required: false) : null;
            return e.First is { } problem
                ? TypedResults.BadRequest(ApiError.Validation($"The release is not valid: {problem}."))
                : Released(id, await queue.ReleaseAsync(user.WorkspaceId(), id, retryAt, cancellationToken));
        }, cancellationToken);
    }

    private static IResult Released(string id, (ReleaseOutcome Outcome, StoredCall? Call) result) => result.Outcome switch
    {
        ReleaseOutcome.Released => TypedResults.Ok(result.Call!.Detail),
        ReleaseOutcome.NotFound => CallNotFound(id),
        _ => ApiError.Respond(StatusCodes.Status409Conflict, ErrorCodes.Conflict,
            $"The call is not leased to a runtime (it is {CallEnums.Name(result.Call!.Detail.Status)}{(result.Call.Detail.Status == CallStatus.Queued ? ", waiting or its lease ran out" : "")})."),
    };

    public static async Task<IResult> GetNumber([FromRoute(Name = "phone_number")] string phoneNumber, ClaimsPrincipal user, DoNotCallList list, CancellationToken cancellationToken)
    {
        if (BadNumber(phoneNumber) is { } bad)
        {
            return bad;
        }
        return await list.GetAsync(user.WorkspaceId(), phoneNumber, cancellationToken) is { } entry ? TypedResults.Ok(entry) : NumberNotFound(phoneNumber);
    }

    public static async Task<IResult> PutNumber([FromRoute(Name = "phone_number")] string phoneNumber, ClaimsPrincipal user, DoNotCallList list, CancellationToken cancellationToken)
    {
        if (BadNumber(phoneNumber) is { } bad)
        {
            return bad;
        }
        var added = await list.AddAsync(user.WorkspaceId(), [phoneNumber], cancellationToken) == 1;
        var entry = (await list.GetAsync(user.WorkspaceId(), phoneNumber, cancellationToken))!;
        return added ? TypedResults.Created($"/api/v1/do-not-call/{Uri.EscapeDataString(phoneNumber)}", entry) : TypedResults.Ok(entry);
    }

    public static async Task<IResult> DeleteNumber([FromRoute(Name = "phone_number")] string phoneNumber, ClaimsPrincipal user, DoNotCallList list, CancellationToken cancellationToken)
    {
        if (BadNumber(phoneNumber) is { } bad)
        {
            return bad;
        }
        return await list.RemoveAsync(user.WorkspaceId(), phoneNumber, cancellationToken) ? TypedResults.NoContent() : NumberNotFound(phoneNumber);
    }

    private static BadRequest<ApiError>? BadNumber(string phone) =>
        JsonFields.IsPhone(phone) ? null : TypedResults.BadRequest(ApiError.Validation($"The number in the URL must be E.164 like +15551234567, got '{JsonFields.Clip(phone)}'."));

    private static JsonHttpResult<ApiError> NumberNotFound(string phone) =>
        ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"{phone} is not on the do-not-call list.");

    private static JsonHttpResult<ApiError> CallNotFound(string id) =>
        ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No call with id '{JsonFields.Clip(id)}'.");
}
