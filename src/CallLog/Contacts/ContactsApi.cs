using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using CallLog.Authentication;
using CallLog.Docs;
using CallLog.Errors;
using CallLog.Json;
using CallLog.Keys;
using CallLog.Paging;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallLog.Contacts;

/// <summary>The workspace's contacts, as in Klen: a searchable paged list (25 a page by default), one contact, and writing one.</summary>
internal static class ContactsApi
{
    private static readonly string[] ListParameters = ["search", "page", "limit"];
    private static readonly string[] Fields = ["id", "name", "email", "company", "phone_number"];

    private const int MaxSearchLength = 200;
    private const int MaxFieldLength = 320; // the longest an email address can be

    public static RouteGroupBuilder MapContacts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/contacts");
        group.MapGet("", ListContacts).RequireAuthorization(Permissions.ReadContacts)
            .Documented("listContacts", "Contacts", "List or search contacts", "The workspace's contacts in id order. Needs `can_read_contacts`.")
            .Query(
                QueryParameterDoc.Text("search", "Case-insensitive substring of name, email, company or phone number (1-200 characters)."),
                QueryParameterDoc.Int("page", "Page number; a page past the end is empty.", 1, null, 1),
                QueryParameterDoc.Int("limit", "Contacts per page.", 1, PageRequest.MaxLimit, 25))
            .Errors(400);
        group.MapGet("/{id}", GetContact).RequireAuthorization(Permissions.ReadContacts)
            .Documented("getContact", "Contacts", "Get one contact", "A contact by its positive integer id. Needs `can_read_contacts`.")
            .Produces<ContactDetail>()
            .IntegerId()
            .Errors(400, 404);
        group.MapPut("/{id}", PutContact).RequireAuthorization(Permissions.WriteContacts)
            .Documented("putContact", "Contacts", "Create or replace a contact",
                "Name, email, company and E.164 phone number, each a string or null. Calls naming the contact show it at once. Needs `can_write_contacts`.")
            .Accepts<ContactInput>("application/json")
            .Produces<ContactDetail>(StatusCodes.Status201Created)
            .Produces<ContactDetail>()
            .IntegerId()
            .Errors(400, 413, 415);
        return group;
    }

    public static async Task<Results<Ok<ContactPage>, BadRequest<ApiError>>> ListContacts(
        HttpRequest request, ClaimsPrincipal user, ContactStore contacts, CancellationToken cancellationToken)
    {
        var error = QueryParameters.Check(request.Query, ListParameters);
        var page = PageRequest.Parse(request.Query, 25, ref error);
        string? search = request.Query["search"];
        if (error is null && search is not null && (search.Trim().Length == 0 || search.Length > MaxSearchLength))
        {
            error = ApiError.Validation($"search must be 1-{MaxSearchLength} characters and not only spaces; omit it to list every contact.");
        }
        return error is not null
            ? TypedResults.BadRequest(error)
            : TypedResults.Ok(await contacts.ListAsync(user.WorkspaceId(), page, search?.Trim(), cancellationToken));
    }

    public static async Task<IResult> GetContact(string id, ClaimsPrincipal user, ContactStore contacts, CancellationToken cancellationToken)
    {
        if (ParseId(id) is not { } contactId)
        {
            return InvalidId();
        }
        return await contacts.GetAsync(user.WorkspaceId(), contactId, cancellationToken) is { } contact
            ? TypedResults.Ok(contact)
            : ApiError.Respond(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No contact with id {contactId}.");
    }

    /// <summary>Creates or replaces a contact: name, email, company and phone_number, each a string or null.</summary>
    public static async Task<IResult> PutContact(string id, HttpRequest request, ClaimsPrincipal user, ContactStore contacts, CancellationToken cancellationToken)
    {
        if (ParseId(id) is not { } contactId)
        {
            return InvalidId();
        }
        return await JsonBody.HandleAsync(request, async body =>
        {
            if (Read(body, contactId, out var problem) is not { } contact)
            {
                return TypedResults.BadRequest(ApiError.Validation($"The contact is not valid: {problem}."));
            }
            var created = await contacts.PutAsync(user.WorkspaceId(), contact, cancellationToken);
            return created ? TypedResults.Created($"/api/v1/contacts/{contactId}", contact) : TypedResults.Ok(contact);
        }, cancellationToken);
    }

    private static ContactDetail? Read(JsonElement root, long contactId, out string? problem)
    {
        var fields = new JsonFields();
        ContactDetail? contact = null;
        if (fields.IsObjectOf(root, Fields, "a contact"))
        {
            if (root.TryGetProperty("id", out var bodyId) && !(bodyId.ValueKind == JsonValueKind.Number && bodyId.TryGetInt64(out var same) && same == contactId))
            {
                fields.Fail("id", "must match the id in the URL (or be left out)");
            }
            var name = fields.OptionalString(root, "name", MaxFieldLength);
            var email = fields.OptionalString(root, "email", MaxFieldLength);
            if (email is not null && !LooksLikeEmail(email))
            {
                fields.Fail("email", $"must look like name@example.com, got \"{JsonFields.Clip(email)}\"");
            }
            var company = fields.OptionalString(root, "company", MaxFieldLength);
            var phone = fields.Phone(root, "phone_number", required: false);
            contact = new ContactDetail(contactId, name, email, company, phone);
        }
        problem = fields.First;
        return problem is null ? contact : null;
    }

    private static long? ParseId(string id) =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;

    private static BadRequest<ApiError> InvalidId() =>
        TypedResults.BadRequest(ApiError.Validation("A contact id is a positive integer, e.g. /api/v1/contacts/123."));

    private static bool LooksLikeEmail(string value)
    {
        var at = value.LastIndexOf('@');
        return at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace);
    }
}
