using System.Net;
using System.Text.Json;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>GET /api/v1/contacts (search, paging), GET and PUT /api/v1/contacts/{id}.</summary>
public abstract class ContactsTests<TStore>(WritableServer<TStore> server) where TStore : TestStore, new()
{
    private static long _next = 5000;

    /// <summary>A contact id no other test of this class uses.</summary>
    private static long NewContactId() => Interlocked.Increment(ref _next);

    private static string Token() => Guid.NewGuid().ToString("N")[..10];

    private Task<HttpResponseMessage> PutAsync(long id, string body, string? key = null, string contentType = "application/json") =>
        server.SendAsync(HttpMethod.Put, $"/api/v1/contacts/{id}", key ?? server.ContactsWriter, body, contentType: contentType);

    private async Task<JsonElement> ListAsync(string query, string? key = null)
    {
        using var response = await server.Client.GetAsync($"/api/v1/contacts?{query}", key ?? server.ContactsReader);
        return await response.JsonAsync(HttpStatusCode.OK);
    }

    private static IEnumerable<long> Ids(JsonElement page) => page.GetProperty("contacts").EnumerateArray().Select(c => c.GetProperty("id").GetInt64());

    [Fact]
    public async Task PutCreatesThenReplacesAContactAndCallsShowItAtOnce()
    {
        var id = NewContactId();
        using var created = await PutAsync(id, """{"name":"Ada Lovelace","email":"ada@example.com","company":"Engines Ltd","phone_number":"+442071234567"}""");
        var body = await created.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/v1/contacts/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("""{"id":ID,"name":"Ada Lovelace","email":"ada@example.com","company":"Engines Ltd","phone_number":"+442071234567"}""".Replace("ID", $"{id}", StringComparison.Ordinal), body.GetRawText());

        // A call naming the contact shows the contact's current fields.
        var call = TestCall.NewId();
        var callBody = TestCall.WriteBody(call).Replace("\"id\":123", $"\"id\":{id}", StringComparison.Ordinal);
        using var put = await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{call}", server.Writer, callBody);
        await put.JsonAsync(HttpStatusCode.Created);
        using var replaced = await PutAsync(id, """{"id":ID,"name":"Ada King","email":null}""".Replace("ID", $"{id}", StringComparison.Ordinal));
        await replaced.JsonAsync(HttpStatusCode.OK);

        using var get = await server.SendAsync(HttpMethod.Get, $"/api/v1/contacts/{id}", server.ContactsReader);
        var stored = await get.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Ada King", stored.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, stored.GetProperty("phone_number").ValueKind);
        using var callGet = await server.SendAsync(HttpMethod.Get, $"/api/v1/calls/{call}", server.Reader);
        var contact = (await callGet.JsonAsync(HttpStatusCode.OK)).GetProperty("contact");
        Assert.Equal("Ada King", contact.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, contact.GetProperty("email").ValueKind);
    }

    [Fact]
    public async Task ACallWrittenWithAContactCreatesIt()
    {
        var id = NewContactId();
        var call = TestCall.NewId();
        var callBody = TestCall.WriteBody(call).Replace("\"id\":123", $"\"id\":{id}", StringComparison.Ordinal);

        using var put = await server.SendAsync(HttpMethod.Put, $"/api/v1/calls/{call}", server.Writer, callBody);
        await put.JsonAsync(HttpStatusCode.Created);

        using var get = await server.SendAsync(HttpMethod.Get, $"/api/v1/contacts/{id}", server.ContactsReader);
        var contact = await get.JsonAsync(HttpStatusCode.OK);
        Assert.Equal("John Doe", contact.GetProperty("name").GetString());
        Assert.Equal("Acme Corp", contact.GetProperty("company").GetString());
    }

    [Fact]
    public async Task SearchMatchesNameEmailCompanyAndPhoneIgnoringCase()
    {
        var token = Token();
        var byName = NewContactId();
        var byEmail = NewContactId();
        var byCompany = NewContactId();
        var byPhone = NewContactId();
        var phone = $"+1999{Random.Shared.Next(1_000_000, 9_999_999)}";
        (await PutAsync(byName, $$"""{"name":"Grace {{token.ToUpperInvariant()}} Hopper"}""")).Dispose();
        (await PutAsync(byEmail, $$"""{"email":"{{token}}@example.com"}""")).Dispose();
        (await PutAsync(byCompany, $$"""{"company":"{{token}} Industries"}""")).Dispose();
        (await PutAsync(byPhone, $$"""{"name":"Phone only","phone_number":"{{phone}}"}""")).Dispose();

        var found = await ListAsync($"search={token}");
        Assert.Equal(3, found.GetProperty("count").GetInt64());
        Assert.Equal([byName, byEmail, byCompany], Ids(found));
        Assert.Equal([byPhone], Ids(await ListAsync($"search={Uri.EscapeDataString(phone)}")));
        Assert.Equal(0, (await ListAsync($"search={token}zz")).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task SearchTreatsPercentAndUnderscoreAsPlainCharacters()
    {
        var token = Token();
        var literal = NewContactId();
        (await PutAsync(literal, $$"""{"name":"{{token}} 100%_sure"}""")).Dispose();
        (await PutAsync(NewContactId(), $$"""{"name":"{{token}} 100 percent sure"}""")).Dispose();

        Assert.Equal([literal], Ids(await ListAsync($"search={Uri.EscapeDataString("100%_")}")));
        Assert.Equal(2, (await ListAsync($"search={token}")).GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task PagesHold25ByDefaultAndTheCountIsExact()
    {
        var token = Token();
        var ids = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add(NewContactId());
            (await PutAsync(ids[^1], $$"""{"company":"Paging {{token}}"}""")).Dispose();
        }

        var first = await ListAsync($"search={token}");
        Assert.Equal(30, first.GetProperty("count").GetInt64());
        Assert.Equal(25, first.GetProperty("limit").GetInt32());
        Assert.Equal(2, first.GetProperty("pages").GetInt64());
        var second = await ListAsync($"search={token}&page=2");
        Assert.Equal(ids, Ids(first).Concat(Ids(second)));
        Assert.Equal(ids.Take(10), Ids(await ListAsync($"search={token}&limit=10")));
    }

    [Theory]
    [InlineData("""{"phone_number":"555-1234"}""", "field 'phone_number' must be an E.164 number")]
    [InlineData("""{"email":"not an email"}""", "field 'email' must look like name@example.com")]
    [InlineData("""{"name":7}""", "field 'name' must be a string")]
    [InlineData("""{"id":999999999}""", "field 'id' must match the id in the URL")]
    [InlineData("""{"nickname":"Al"}""", "field 'nickname' is not part of a contact")]
    [InlineData("""{"name":""", "line 1")]
    [InlineData("""{"name":"Al\u0000"}""", "field 'name' contains a NUL character")]
    [InlineData("""{"company":"\udc00x"}""", "field 'company' has an escaped lone surrogate")]
    public async Task BadContactBodiesAreNamedAndChangeNothing(string body, string expected)
    {
        var id = NewContactId();

        using var response = await PutAsync(id, body);

        Assert.Contains(expected, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
        using var get = await server.SendAsync(HttpMethod.Get, $"/api/v1/contacts/{id}", server.ContactsReader);
        await get.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("/api/v1/contacts/abc", "positive integer")]
    [InlineData("/api/v1/contacts/0", "positive integer")]
    [InlineData("/api/v1/contacts?limit=500", "limit must be an integer from 1 to 100")]
    [InlineData("/api/v1/contacts?search=%20%20", "search must be 1-200 characters")]
    [InlineData("/api/v1/contacts?q=ada", "Unknown query parameter 'q'")]
    [InlineData("/api/v1/contacts?search=ada%00", "Query parameter 'search' contains a NUL character")]
    public async Task BadReadsAreNamed(string url, string expected)
    {
        using var response = await server.Client.GetAsync(url, server.ContactsReader);
        Assert.Contains(expected, await response.ErrorAsync(HttpStatusCode.BadRequest, "validation_error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ContactsNeedTheirPermissionsAndStayInTheirWorkspace()
    {
        var id = NewContactId();
        (await PutAsync(id, """{"name":"Private Person"}""")).Dispose();

        using var callsKey = await server.Client.GetAsync("/api/v1/contacts", server.Writer);
        Assert.Contains("can_read_contacts", await callsKey.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied"), StringComparison.Ordinal);
        using var readerWrites = await PutAsync(id, """{"name":"X"}""", server.ContactsReader);
        Assert.Contains("can_write_contacts", await readerWrites.ErrorAsync(HttpStatusCode.Forbidden, "permission_denied"), StringComparison.Ordinal);
        using var text = await PutAsync(id, """{"name":"X"}""", contentType: "text/plain");
        await text.ErrorAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");

        using var other = await server.SendAsync(HttpMethod.Get, $"/api/v1/contacts/{id}", server.OtherWorkspace);
        await other.ErrorAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(0, (await ListAsync("search=Private%20Person", server.OtherWorkspace)).GetProperty("count").GetInt64());
        using var unknown = await server.SendAsync(HttpMethod.Get, "/api/v1/contacts/987654321", server.ContactsReader);
        await unknown.ErrorAsync(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class ContactsTestsOnSqlite(WritableServer<SqliteStore> server) : ContactsTests<SqliteStore>(server), IClassFixture<WritableServer<SqliteStore>>;

public sealed class ContactsTestsOnPostgres(WritableServer<PostgresStore> server) : ContactsTests<PostgresStore>(server), IClassFixture<WritableServer<PostgresStore>>;
