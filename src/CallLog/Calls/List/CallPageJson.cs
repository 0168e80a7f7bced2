using System.Reflection;
using CommunityToolkit.HighPerformance.Buffers;
using Microsoft.AspNetCore.Http.Metadata;

namespace CallLog.Calls.List;

/// <summary>
/// A list response already written as JSON (<see cref="CallPageWriter"/>), in a pooled buffer that goes
/// back to the pool once sent. Documented as <see cref="CallPage"/>, the shape it writes.
/// </summary>
internal sealed class CallPageJson(ArrayPoolBufferWriter<byte> body) : IResult, IEndpointMetadataProvider, IDisposable
{
    /// <summary>The response's bytes, until disposed.</summary>
    public ReadOnlyMemory<byte> Body => body.WrittenMemory;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        try
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.WrittenCount;
            await response.Body.WriteAsync(body.WrittenMemory, httpContext.RequestAborted);
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose() => body.Dispose();

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(CallPage), ["application/json"]));
}
