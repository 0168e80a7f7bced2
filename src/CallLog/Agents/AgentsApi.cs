using System.Security.Claims;
using CallLog.Authentication;
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
    private static readonly string[] Fields = ["name"];

    public const int MaxNameLength = 200;

    public static RouteGroupBuilder MapAgents(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/agents");
        group.MapGet("", ListAgents).RequireAuthorization(Permissions.ReadAgents);
        group.MapGet("/{id}", GetAgent).RequireAuthorization(Permissions.ReadAgents);
        // Naming an agent is part of writing calls: the runtime that writes calls names their agents too.
        group.MapPut("/{id}", PutAgent).RequireAuthorization(Permissions.WriteCalls);
        return group;
    }

    public static async Task<Results<Ok<AgentPage>, BadRequest<ApiError>>> ListAgents(
        HttpRequest request, ClaimsPrincipal user, AgentStore agents, CancellationToken cancellationToken)
    {
        var error = QueryParameters.CheckNames(request.Query, ListParameters);
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
        if (!JsonFields.IsValidId(id))
        {
            return TypedResults.BadRequest(ApiError.Validation($"An agent id must be 1-{JsonFields.MaxIdLength} characters with no leading or trailing spaces."));
        }
        var (document, error) = await JsonBody.ReadAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }
        using (document)
        {
            var fields = new JsonFields();
            var root = document!.RootElement;
            var name = fields.IsObjectOf(root, Fields, "an agent") ? fields.OptionalString(root, "name", MaxNameLength) : null;
            if (fields.First is { } problem)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The agent is not valid: {problem}."));
            }
            var (created, agent) = await agents.PutAsync(user.WorkspaceId(), id, name, cancellationToken);
            return created ? TypedResults.Created($"/api/v1/agents/{Uri.EscapeDataString(id)}", agent) : TypedResults.Ok(agent);
        }
    }

    private static JsonHttpResult<ApiError> NotFound(string id) =>
        TypedResults.Json(new ApiError(ErrorCodes.NotFound, $"No agent with id '{JsonFields.Clip(id)}'."), CallLogJson.Wire.ApiError, statusCode: 404);
}
