using CallLog.Calls.ById;
using CallLog.Calls.List;
using CallLog.Json;

namespace CallLog.Calls;

internal static class CallsApi
{
    /// <summary>/api/v1/calls: the list (<see cref="CallListApi"/>) and one call by id (<see cref="CallByIdApi"/>).</summary>
    public static RouteGroupBuilder MapCalls(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("/api/v1/calls").RequireValidIds("call")
            .MapCallList()
            .MapCallById();
}
