using CallLog.Errors;

namespace CallLog.Json;

/// <summary>
/// An id in a URL obeys the rule an id in a body or an import line does (<see cref="JsonFields.IsValidId"/>):
/// otherwise a call written by its URL could never be imported again from its own export.
/// </summary>
internal static class PathIds
{
    /// <summary>Answers 400 naming the id when the route's <c>{id}</c> breaks the rule; routes without one pass.</summary>
    public static RouteGroupBuilder RequireValidIds(this RouteGroupBuilder group, string what)
    {
        group.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.RouteValues.TryGetValue("id", out var value) && value is string id && !JsonFields.IsValidId(id)
                ? TypedResults.BadRequest(ApiError.Validation(
                    $"The {what} id in the URL ('{JsonFields.Clip(id)}') must be 1-{JsonFields.MaxIdLength} characters with no leading or trailing spaces."))
                : await next(context));
        return group;
    }
}
