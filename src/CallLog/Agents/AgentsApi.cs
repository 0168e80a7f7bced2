using System.Security.Claims;
using CallLog.Authentication;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using CallLog.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Agents;

/// <summary>The workspace's agents: a paged list with call counts, one agent, and naming an agent.</summary>
internal static class AgentsApi
{
    private static readonly string[] ListParameters = ["page", "limit"];
    private static readonly string[] Fields = ["name", "max_concurrent_calls"];

    public const int MaxNameLength = 200;

    public static RouteGroupBuilder MapAgents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/agents").RequireValidIds("agent");
        group.MapGet("", ListAgents).RequireAuthorization(Permissions.ReadAgents)
            .Documented("listAgents", "Agents", "List agents", "The workspace's agents in id order, each with its exact call count. Needs `can_read_agents`.")
            .Query(
                QueryParameterDoc.Int("page", "Page number; a page past the end is empty.", 1, null, 1),
                QueryParameterDoc.Int("limit", "Agents per page.", 1, PageRequest.MaxLimit, 10))
            .Errors(400);
        group.MapGet("/{id}", GetAgent).RequireAuthorization(Permissions.ReadAgents)
            .Documented("getAgent", "Agents", "Get one agent", "The agent and its call count. Needs `can_read_agents`.")
            .Produces<Agent>()
            .Errors(400, 404);
        // Naming an agent is part of writing calls: the runtime that writes calls names their agents too.
        group.MapPut("/{id}", PutAgent).RequireAuthorization(Permissions.WriteCalls)
            .Documented("putAgent", "Agents", "Name an agent",
                "Creates the agent (201) or renames it (200); every call of the agent shows the new `agent_name` at once. `max_concurrent_calls` limits its calls " +
                "leased from the dial queue or in progress at once (`null`: no limit; left out: unchanged). Needs `can_write_calls`.")
            .Accepts<AgentName>("application/json")
            .Produces<Agent>(StatusCodes.Status201Created)
            .Produces<Agent>()
            .Errors(400, 413, 415);
        return group;
    }

    public static async Task<Results<Ok<AgentPage>, BadRequest<ApiError>>> ListAgents(
        HttpRequest request, ClaimsPrincipal user, AgentStore agents, CancellationToken cancellationToken)
    {
        var error = QueryParameters.Check(request.Query, ListParameters);
        var page = PageRequest.Parse(request.Query, 10, ref error);
        return error is not null
            ? TypedResults.BadRequest(error)
            : TypedResults.Ok(await agents.ListAsync(user.WorkspaceId(), page, cancellationToken));
    }

    public static async Task<IResult> GetAgent(string id, ClaimsPrincipal user, AgentStore agents, CancellationToken cancellationToken) =>
        await agents.GetAsync(user.WorkspaceId(), id, cancellationToken) is { } agent ? TypedResults.Ok(agent) : NotFound(id);

    /// <summary>Body <c>{"name": "..."}</c> (or null to clear it); 201 when the agent is new, 200 otherwise.</summary>
    public static async Task<IResult> PutAgent(string id, HttpRequest request, ClaimsPrincipal user, AgentStore agents, CancellationToken cancellationToken)
    {
        return await JsonBody.HandleAsync(request, async body =>
        {
            var fields = new JsonFields();
            var valid = fields.IsObjectOf(body, Fields, "an agent");
            var name = valid ? fields.OptionalString(body, "name", MaxNameLength) : null;
            var limit = valid ? fields.Integer(body, "max_concurrent_calls", required: false, 1, 100_000) : null;
            if (fields.First is { } problem)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The agent is not valid: {problem}."));
            }
            var (created, agent) = await agents.PutAsync(user.WorkspaceId(), id, name, body.TryGetProperty("max_concurrent_calls", out _), limit, cancellationToken);
            return created ? TypedResults.Created($"/api/v1/agents/{Uri.EscapeDataString(id)}", agent) : TypedResults.Ok(agent);
        }, cancellationToken);
    }

    private static JsonHttpResult<ApiError> NotFound(string id) =>
        ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No agent with id '{JsonFields.Clip(id)}'.");
}
