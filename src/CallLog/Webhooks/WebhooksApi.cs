using System.Security.Claims;
using System.Text.Json;
using CallLog.Authentication;
using CallLog.Calls;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using CallLog.Paging;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CallLog.Webhooks;

/// <summary>Webhook endpoints, their delivery log, and Klen's route for creating one. Every route needs <c>can_manage_webhooks</c>.</summary>
internal static class WebhooksApi
{
    private static readonly string[] CreateFields = ["url", "events", "description"];
    private static readonly string[] PatchFields = ["url", "events", "description", "enabled"];
    private static readonly string[] KlenFields = ["name", "url", "subscribed_events"];
    private static readonly string[] ReplayFields = ["since", "until"];
    private static readonly string[] DeliveryParameters = ["status", "limit", "cursor"];

    public static IEndpointRouteBuilder MapWebhooks(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/webhooks").RequireAuthorization(Permissions.ManageWebhooks);
        group.MapPost("", Create)
            .Documented("createWebhook", "Webhooks", "Create a webhook endpoint",
                "Events the workspace writes from now on are POSTed to `url`, signed per Standard Webhooks with the `secret` returned here, once. " +
                "A URL whose host resolves to a loopback, private, link-local or multicast address is refused unless `Webhooks:AllowPrivateNetworks` is set. Needs `can_manage_webhooks`.")
            .Accepts<WebhookInput>("application/json")
            .Produces<CreatedWebhook>(StatusCodes.Status201Created)
            .Errors(400, 413, 415);
        group.MapGet("", List)
            .Documented("listWebhooks", "Webhooks", "List webhook endpoints", "The workspace's endpoints, oldest first; secrets are never shown. Needs `can_manage_webhooks`.")
            .Produces<WebhookList>()
            .Errors();
        group.MapGet("/{id}", Get)
            .Documented("getWebhook", "Webhooks", "Get a webhook endpoint", "Needs `can_manage_webhooks`.")
            .Produces<Webhook>()
            .Errors(404);
        group.MapPatch("/{id}", Update)
            .Documented("updateWebhook", "Webhooks", "Change a webhook endpoint",
                "Any of `url`, `events`, `description`, `enabled`. Enabling a disabled endpoint sends it events from then on; replay what it missed. Needs `can_manage_webhooks`.")
            .Accepts<WebhookPatchInput>("application/json", "application/merge-patch+json")
            .Produces<Webhook>()
            .Errors(400, 404, 413, 415);
        group.MapDelete("/{id}", Delete)
            .Documented("deleteWebhook", "Webhooks", "Delete a webhook endpoint", "The endpoint and its delivery log; nothing more is sent to it. Needs `can_manage_webhooks`.")
            .Produces(StatusCodes.Status204NoContent)
            .Errors(404);
        group.MapPost("/{id}/rotate-secret", RotateSecret)
            .Documented("rotateWebhookSecret", "Webhooks", "Rotate an endpoint's signing secret",
                "Returns the new secret, once. For 24 hours the old secret signs too: `webhook-signature` carries both signatures. Needs `can_manage_webhooks`.")
            .Produces<CreatedWebhook>()
            .Errors(404);
        group.MapPost("/{id}/test", Test)
            .Documented("testWebhook", "Webhooks", "Send a test event", "Queues a `webhook.test` event for this endpoint alone (it is not in the event log). Needs `can_manage_webhooks`.")
            .Produces<Delivery>(StatusCodes.Status202Accepted)
            .Errors(404);
        group.MapGet("/{id}/deliveries", Deliveries)
            .Documented("listWebhookDeliveries", "Webhooks", "List an endpoint's deliveries",
                "Newest first: each event sent or to be sent, with its latest attempt. Needs `can_manage_webhooks`.")
            .Query(
                QueryParameterDoc.OneOf("status", "Only deliveries in this state.", DeliveryStatus.All),
                QueryParameterDoc.Int("limit", "Deliveries per page.", 1, PageRequest.MaxLimit, 25),
                QueryParameterDoc.Text("cursor", "`next_cursor` of the previous page."))
            .Produces<DeliveryPage>()
            .Errors(400, 404);
        group.MapPost("/{id}/deliveries/{deliveryId}/redeliver", Redeliver)
            .Documented("redeliverWebhookDelivery", "Webhooks", "Send a delivery again",
                "Queues the delivery's event again, now, with the same `webhook-id`; it is a new entry in the log. Needs `can_manage_webhooks`.")
            .Produces<Delivery>(StatusCodes.Status202Accepted)
            .Errors(404);
        group.MapPost("/{id}/replay", Replay)
            .Documented("replayWebhook", "Webhooks", "Send a range of events again",
                "Queues every kept event created from `since` up to `until` (default: now) that the endpoint subscribes to, in order. Needs `can_manage_webhooks`.")
            .Accepts<ReplayInput>("application/json")
            .Produces<Replay>(StatusCodes.Status202Accepted)
            .Errors(400, 404, 413, 415);

        routes.MapPost("/api/webhooks/create/", CreateKlen).RequireAuthorization(Permissions.ManageWebhooks)
            .Documented("createWebhookKlen", "Webhooks", "Create a webhook endpoint (Klen's route)",
                "Klen's form of `POST /api/v1/webhooks`: `name` is the description, `subscribed_events` the events. Needs `can_manage_webhooks`.")
            .Accepts<KlenWebhookInput>("application/json")
            .Produces<CreatedWebhook>(StatusCodes.Status201Created)
            .Errors(400, 413, 415);
        return routes;
    }

    public static Task<IResult> Create(HttpRequest request, ClaimsPrincipal user, WebhookStore webhooks, IOptions<WebhookOptions> options, CancellationToken cancellationToken) =>
        JsonBody.HandleAsync(request, body => CreateAsync(body, CreateFields, "url", "events", "description", user, webhooks, options.Value, cancellationToken), cancellationToken);

    public static Task<IResult> CreateKlen(HttpRequest request, ClaimsPrincipal user, WebhookStore webhooks, IOptions<WebhookOptions> options, CancellationToken cancellationToken) =>
        JsonBody.HandleAsync(request, body => CreateAsync(body, KlenFields, "url", "subscribed_events", "name", user, webhooks, options.Value, cancellationToken), cancellationToken);

    private static async Task<IResult> CreateAsync(
        JsonElement body, string[] allowed, string urlField, string eventsField, string descriptionField,
        ClaimsPrincipal user, WebhookStore webhooks, WebhookOptions options, CancellationToken cancellationToken)
    {
        var fields = new JsonFields();
        string? url = null;
        IReadOnlyList<string>? events = null;
        string? description = null;
        if (fields.IsObjectOf(body, allowed, "a webhook endpoint"))
        {
            url = Url(fields, body, urlField, required: true);
            events = Events(fields, body, eventsField, required: true);
            description = fields.OptionalString(body, descriptionField, WebhookRules.MaxDescriptionLength);
        }
        if (fields.First is null && await WebhookRules.CheckReachableAsync(url!, options.AllowPrivateNetworks, cancellationToken) is { } refusal)
        {
            fields.Fail(urlField, $"cannot be used: {refusal}");
        }
        if (fields.First is { } problem)
        {
            return TypedResults.BadRequest(ApiError.Validation($"The webhook endpoint is not valid: {problem}."));
        }
        var created = await webhooks.CreateAsync(user.WorkspaceId(), url!, events!, description, cancellationToken);
        return TypedResults.Created($"/api/v1/webhooks/{created.Id}", created);
    }

    public static async Task<Ok<WebhookList>> List(ClaimsPrincipal user, WebhookStore webhooks, CancellationToken cancellationToken) =>
        TypedResults.Ok(new WebhookList(await webhooks.ListAsync(user.WorkspaceId(), cancellationToken)));

    public static async Task<IResult> Get(string id, ClaimsPrincipal user, WebhookStore webhooks, CancellationToken cancellationToken) =>
        await webhooks.GetAsync(user.WorkspaceId(), id, cancellationToken) is { } webhook ? TypedResults.Ok(webhook) : NotFound(id);

    public static Task<IResult> Update(string id, HttpRequest request, ClaimsPrincipal user, WebhookStore webhooks, IOptions<WebhookOptions> options, CancellationToken cancellationToken) =>
        JsonBody.HandleAsync(request, async body =>
        {
            var fields = new JsonFields();
            WebhookChange? change = null;
            if (fields.IsObjectOf(body, PatchFields, "changes to a webhook endpoint"))
            {
                var url = Url(fields, body, "url", required: false);
                var events = Events(fields, body, "events", required: false);
                var description = fields.OptionalString(body, "description", WebhookRules.MaxDescriptionLength);
                bool? enabled = null;
                if (body.TryGetProperty("enabled", out var flag))
                {
                    if (flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    {
                        enabled = flag.GetBoolean();
                    }
                    else
                    {
                        fields.Fail("enabled", $"must be true or false, got {JsonFields.Describe(flag)}");
                    }
                }
                if (fields.First is null && url is not null && await WebhookRules.CheckReachableAsync(url, options.Value.AllowPrivateNetworks, cancellationToken) is { } refusal)
                {
                    fields.Fail("url", $"cannot be used: {refusal}");
                }
                change = new WebhookChange(url, events, description, body.TryGetProperty("description", out _), enabled);
            }
            if (fields.First is { } problem)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The change is not valid: {problem}."));
            }
            return await webhooks.UpdateAsync(user.WorkspaceId(), id, change!, cancellationToken) is { } webhook ? TypedResults.Ok(webhook) : NotFound(id);
        }, cancellationToken);

    public static async Task<IResult> Delete(string id, ClaimsPrincipal user, WebhookStore webhooks, CancellationToken cancellationToken) =>
        await webhooks.DeleteAsync(user.WorkspaceId(), id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    public static async Task<IResult> RotateSecret(string id, ClaimsPrincipal user, WebhookStore webhooks, CancellationToken cancellationToken) =>
        await webhooks.RotateSecretAsync(user.WorkspaceId(), id, cancellationToken) is { } rotated ? TypedResults.Ok(rotated) : NotFound(id);

    public static async Task<IResult> Test(string id, ClaimsPrincipal user, WebhookStore webhooks, DeliveryLog log, CancellationToken cancellationToken)
    {
        if (await webhooks.GetAsync(user.WorkspaceId(), id, cancellationToken) is null)
        {
            return NotFound(id);
        }
        return await log.TestAsync(id, user.WorkspaceId(), cancellationToken) is { } delivery
            ? TypedResults.Json(delivery, CallLogJson.Wire.Delivery, statusCode: StatusCodes.Status202Accepted)
            : NotFound(id);
    }

    public static async Task<IResult> Deliveries(string id, HttpRequest request, ClaimsPrincipal user, WebhookStore webhooks, DeliveryLog log, CancellationToken cancellationToken)
    {
        var query = request.Query;
        var error = QueryParameters.Check(query, DeliveryParameters);
        var limit = QueryParameters.Int(query, "limit", 25, 1, PageRequest.MaxLimit, ref error);
        string? status = query["status"];
        if (error is null && status is not null && !DeliveryStatus.All.Contains(status))
        {
            error = ApiError.Validation($"status must be one of {string.Join(", ", DeliveryStatus.All)}; got '{JsonFields.Clip(status)}'.");
        }
        long? before = null;
        if (error is null && query["cursor"].ToString() is { Length: > 0 } cursor)
        {
            before = DeliveryLog.ParseId(cursor);
            if (before is null)
            {
                error = ApiError.Validation($"cursor must be the next_cursor of a previous page, like dlv_42; got '{JsonFields.Clip(cursor)}'.");
            }
        }
        if (error is not null)
        {
            return TypedResults.BadRequest(error);
        }
        if (await webhooks.GetAsync(user.WorkspaceId(), id, cancellationToken) is null)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(await log.ListAsync(id, status, before, limit, cancellationToken));
    }

    public static async Task<IResult> Redeliver(string id, string deliveryId, ClaimsPrincipal user, WebhookStore webhooks, DeliveryLog log, CancellationToken cancellationToken)
    {
        if (await webhooks.GetAsync(user.WorkspaceId(), id, cancellationToken) is null)
        {
            return NotFound(id);
        }
        return DeliveryLog.ParseId(deliveryId) is { } number && await log.RedeliverAsync(id, number, cancellationToken) is { } delivery
            ? TypedResults.Json(delivery, CallLogJson.Wire.Delivery, statusCode: StatusCodes.Status202Accepted)
            : ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No delivery '{JsonFields.Clip(deliveryId)}' of webhook endpoint '{JsonFields.Clip(id)}'.");
    }

    public static Task<IResult> Replay(string id, HttpRequest request, ClaimsPrincipal user, WebhookStore webhooks, DeliveryLog log, TimeProvider time, CancellationToken cancellationToken) =>
        JsonBody.HandleAsync(request, async body =>
        {
            var fields = new JsonFields();
            DateTimeOffset? since = null, until = null;
            if (fields.IsObjectOf(body, ReplayFields, "a replay"))
            {
                since = Time(fields, body, "since", required: true);
                until = Time(fields, body, "until", required: false) ?? time.GetUtcNow();
                if (fields.First is null && until <= since)
                {
                    fields.Fail("until", "must be after since");
                }
            }
            if (fields.First is { } problem)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The replay is not valid: {problem}."));
            }
            if (await webhooks.GetAsync(user.WorkspaceId(), id, cancellationToken) is not { } webhook)
            {
                return NotFound(id);
            }
            // Events carry whole seconds: an until with a fraction still takes its second's events.
            var untilSeconds = until!.Value.ToUnixTimeSeconds() + (until.Value.UtcTicks % TimeSpan.TicksPerSecond == 0 ? 0 : 1);
            return await log.ReplayAsync(id, user.WorkspaceId(), webhook.Events, since!.Value.ToUnixTimeSeconds(), untilSeconds, cancellationToken) is { } queued
                ? TypedResults.Json(new Replay(queued), CallLogJson.Wire.Replay, statusCode: StatusCodes.Status202Accepted)
                : NotFound(id);
        }, cancellationToken);

    private static string? Url(JsonFields fields, JsonElement body, string field, bool required)
    {
        var url = fields.String(body, field, required);
        if (url is not null && WebhookRules.CheckUrl(url) is { } problem)
        {
            fields.Fail(field, problem);
        }
        return url;
    }

    private static List<string>? Events(JsonFields fields, JsonElement body, string field, bool required)
    {
        if (!fields.TryGet(body, field, required, out var value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            fields.Fail(field, $"must be an array of event types, got {JsonFields.Describe(value)}");
            return null;
        }
        List<string> events = [.. value.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal)];
        if (WebhookRules.CheckEvents(events) is { } problem)
        {
            fields.Fail(field, problem);
        }
        return events;
    }

    private static DateTimeOffset? Time(JsonFields fields, JsonElement body, string field, bool required)
    {
        if (!fields.TryGet(body, field, required, out var value))
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.String && UtcSecondsConverter.TryParse(value.GetString(), out var parsed))
        {
            return parsed;
        }
        fields.Fail(field, "must be an ISO-8601 time with Z or an offset, like 2025-04-23T14:30:45Z");
        return null;
    }

    private static JsonHttpResult<ApiError> NotFound(string id) =>
        ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No webhook endpoint '{JsonFields.Clip(id)}' in this workspace.");
}
