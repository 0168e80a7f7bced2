using System.Security.Claims;
using CallLog.Authentication;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using CallLog.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Dialing;

/// <summary>Campaigns: many calls placed at once for one agent, dialed within a calling window, paused, resumed or canceled as one.</summary>
internal static class CampaignsApi
{
    /// <summary>100,000 recipients with their variables fit; Kestrel's own limit (about 28 MiB) is above it.</summary>
    public const int MaxBodyBytes = 24 << 20;

    private static readonly string[] ListParameters = ["limit"];

    public static IEndpointRouteBuilder MapCampaigns(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/campaigns").RequireValidIds("campaign");
        group.MapPost("", Create).RequireAuthorization(Permissions.InitiateCalls)
            .Documented("createCampaign", "Dialing", "Create a campaign",
                "Every recipient becomes a queued call of the agent with `campaign_id` (a list filter), with its `call.queued` event, in one transaction: " +
                "a recipient that is not valid refuses the whole campaign, naming its index; numbers on the do-not-call list are skipped and counted. " +
                "Claims dial its calls only while it is active, from `scheduled_at`, inside its `calling_window` (local time of its time zone, across " +
                "daylight-saving changes), within its `max_concurrent_calls`. Up to 100,000 recipients (24 MiB). Needs `can_initiate_calls`.")
            .Accepts<CampaignInput>("application/json")
            .Produces<Campaign>(StatusCodes.Status201Created)
            .Errors(400, 404, 413, 415);
        group.MapGet("", List).RequireAuthorization(Permissions.ReadCalls)
            .Documented("listCampaigns", "Dialing", "List campaigns", "Newest first, each with its calls counted by status. Needs `can_read_calls`.")
            .Query(QueryParameterDoc.Int("limit", "Campaigns to return.", 1, PageRequest.MaxLimit, 25))
            .Produces<CampaignList>()
            .Errors(400);
        group.MapGet("/{id}", Get).RequireAuthorization(Permissions.ReadCalls)
            .Documented("getCampaign", "Dialing", "Get a campaign", "Its settings, state and calls counted by status. Needs `can_read_calls`.")
            .Produces<Campaign>()
            .Errors(400, 404);
        foreach (var (action, change, summary, description) in new[]
        {
            ("pause", CampaignChange.Pause, "Pause a campaign", "Claims stop handing out its calls; calls already handed out go on."),
            ("resume", CampaignChange.Resume, "Resume a campaign", "Claims hand out its calls again."),
            ("cancel", CampaignChange.Cancel, "Cancel a campaign",
                "Final: its waiting calls become canceled at once (`call.canceled`); calls already handed out go on, and are canceled if given back."),
        })
        {
            group.MapPost($"/{{id}}/{action}", (string id, ClaimsPrincipal user, CampaignStore campaigns, CancellationToken cancellationToken) =>
                    ChangeAsync(id, change, user, campaigns, cancellationToken))
                .RequireAuthorization(Permissions.InitiateCalls)
                .Documented($"{action}Campaign", "Dialing", summary, $"{description} Needs `can_initiate_calls`.")
                .Produces<Campaign>()
                .Errors(400, 404, 409);
        }
        return routes;
    }

    public static async Task<IResult> Create(HttpRequest request, ClaimsPrincipal user, CampaignStore campaigns, CancellationToken cancellationToken) =>
        await JsonBody.HandleAsync(request, MaxBodyBytes, async body =>
        {
            var (campaign, recipients) = CampaignReader.Read(body, DateTimeOffset.UtcNow, out var problem);
            if (campaign is null)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The campaign is not valid: {problem}."));
            }
            return await campaigns.CreateAsync(user.WorkspaceId(), campaign, recipients!, cancellationToken) is { } created
                ? TypedResults.Created($"/api/v1/campaigns/{created.Id}", created)
                : ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No agent with id '{JsonFields.Clip(campaign.AgentId)}'.");
        }, cancellationToken);

    public static async Task<IResult> List(HttpRequest request, ClaimsPrincipal user, CampaignStore campaigns, CancellationToken cancellationToken)
    {
        var error = QueryParameters.Check(request.Query, ListParameters);
        var limit = 25;
        if (error is null && request.Query.TryGetValue("limit", out var text)
            && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit is < 1 or > PageRequest.MaxLimit))
        {
            error = ApiError.Validation($"limit must be a whole number from 1 to {PageRequest.MaxLimit}; got '{JsonFields.Clip(text!)}'.");
        }
        return error is not null ? TypedResults.BadRequest(error) : TypedResults.Ok(await campaigns.ListAsync(user.WorkspaceId(), limit, cancellationToken));
    }

    public static async Task<IResult> Get(string id, ClaimsPrincipal user, CampaignStore campaigns, CancellationToken cancellationToken) =>
        await campaigns.GetAsync(user.WorkspaceId(), id, cancellationToken) is { } campaign ? TypedResults.Ok(campaign) : NotFound(id);

    private static async Task<IResult> ChangeAsync(string id, CampaignChange change, ClaimsPrincipal user, CampaignStore campaigns, CancellationToken cancellationToken)
    {
        var (campaign, problem) = await campaigns.ChangeAsync(user.WorkspaceId(), id, change, cancellationToken);
        return campaign is null ? NotFound(id)
            : problem is not null ? ApiError.Respond(StatusCodes.Status409Conflict, ErrorCodes.Conflict, $"The campaign cannot change: {problem}.")
            : TypedResults.Ok(campaign);
    }

    private static JsonHttpResult<ApiError> NotFound(string id) =>
        ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No campaign with id '{JsonFields.Clip(id)}'.");
}
