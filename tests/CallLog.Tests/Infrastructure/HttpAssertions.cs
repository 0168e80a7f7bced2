using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CallLog.Tests.Infrastructure;

public static class HttpAssertions
{
    public static async Task<HttpResponseMessage> GetAsync(this HttpClient client, string url, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }

    /// <summary>Asserts Klen's error body with the given code, and returns its message.</summary>
    public static async Task<string> ErrorAsync(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var json = await response.JsonAsync(status);
        Assert.Equal(code, json.GetProperty("error").GetString());
        var message = json.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }
}
