using Bogus;
using CallLog.Calls;

namespace CallLog.Demo;

/// <summary>
/// Realistic calls for trying CallLog: a handful of agents, a pool of returning contacts, summaries that
/// read like a voice agent's, all three statuses and both directions. The same seed always gives the
/// same calls: times hang off a fixed anchor, never off the clock.
/// </summary>
internal static class DemoData
{
    public static readonly DateTimeOffset Anchor = new(2025, 6, 30, 18, 0, 0, TimeSpan.Zero);
    private const int Days = 90;

    // assistant_12345 is the example agent of Klen's API reference, so its curl works against demo data as is.
    private static readonly DemoAgent[] Agents =
    [
        new("assistant_12345", "Sales Representative", ["product pricing", "the premium package", "volume discounts", "a product demo"]),
        new("assistant_20417", "Customer Support", ["a billing question", "a login problem", "a delayed delivery", "a refund request"]),
        new("assistant_31866", "Appointment Scheduler", ["booking a consultation", "moving an appointment", "a cancellation", "clinic opening hours"]),
        new("assistant_48302", "Lead Qualifier", ["the customer's budget", "the team size", "their current provider", "the buying timeline"]),
        new("assistant_52290", "Renewal Specialist", ["the contract renewal", "an upgrade offer", "the renewal price", "usage over the last year"]),
        new("assistant_67731", "Collections Agent", ["an overdue invoice", "a payment plan", "a failed card payment", "a disputed charge"]),
        new("assistant_70158", "Survey Caller", ["satisfaction with the last order", "the onboarding experience", "support quality", "product feedback"]),
        new("assistant_89904", "Receptionist", ["transferring to sales", "office directions", "a message for the account manager", "opening hours"]),
    ];

    private static readonly string[] Openers =
    [
        "The agent discussed {0} with the customer", "The customer called about {0}", "The agent walked the customer through {0}",
        "The agent answered questions about {0}", "The conversation focused on {0}",
    ];

    private static readonly string[] Outcomes =
    [
        "The customer expressed interest and asked for a follow-up email.", "The issue was resolved on the call.",
        "The customer asked to be called back next week.", "A follow-up task was created for the account team.",
        "The customer was satisfied with the answers.", "The customer declined for now.",
        "The agent confirmed the details by SMS.", "The customer requested a transfer to a human agent.",
    ];

    private static readonly string[] Failures =
    [
        "The call was not answered.", "The line was busy.", "The call dropped before the greeting.",
        "Reached voicemail; no message was left.", "The number was unreachable.",
    ];

    public static IEnumerable<Call> Generate(int count, int seed, string workspace)
    {
        var faker = new Faker("en") { Random = new Randomizer(seed) };
        var contacts = MakeContacts(faker, Math.Clamp(count / 8, 20, 200_000));
        for (var i = 0; i < count; i++)
        {
            yield return MakeCall(faker, contacts, workspace);
        }
    }

    private static DemoContact[] MakeContacts(Faker faker, int count) =>
        [.. Enumerable.Range(1, count).Select(id =>
        {
            var first = faker.Name.FirstName();
            var last = faker.Name.LastName();
            return new DemoContact(
                new Contact(id, $"{first} {last}",
                    faker.Random.Bool(0.85f) ? faker.Internet.Email(first, last).ToLowerInvariant() : null,
                    faker.Random.Bool(0.7f) ? faker.Company.CompanyName() : null),
                Phone(faker));
        })];

    private static Call MakeCall(Faker faker, DemoContact[] contacts, string workspace)
    {
        var agent = faker.PickRandom(Agents);
        var id = "call_" + faker.Random.AlphaNumeric(16);
        var known = faker.Random.Bool(0.85f) ? faker.PickRandom(contacts) : null;
        var phone = known?.Phone ?? Phone(faker);
        var type = faker.Random.Bool(0.55f) ? CallType.Outbound : CallType.Inbound;
        var roll = faker.Random.Double();
        if (roll < 0.02)
        {
            var startedNow = Anchor.AddSeconds(-faker.Random.Int(5, 900));
            return new Call(id, agent.Id, agent.Name, CallStatus.InProgress, type, phone, startedNow, null, null, null, null, known?.Contact);
        }
        var started = Anchor.AddDays(-faker.Random.Int(0, Days - 1)).Date.AddHours(8).AddSeconds(faker.Random.Int(0, 12 * 3600));
        var startedAt = new DateTimeOffset(started, TimeSpan.Zero);
        if (roll < 0.17)
        {
            var rang = faker.Random.Int(0, 45);
            return new Call(id, agent.Id, agent.Name, CallStatus.Failed, type, phone, startedAt, startedAt.AddSeconds(rang), rang,
                faker.PickRandom(Failures), null, known?.Contact);
        }
        var duration = faker.Random.Int(25, 1200);
        var summary = string.Format(System.Globalization.CultureInfo.InvariantCulture, faker.PickRandom(Openers), faker.PickRandom(agent.Topics))
            + ". " + faker.PickRandom(Outcomes);
        return new Call(id, agent.Id, agent.Name, CallStatus.Completed, type, phone, startedAt, startedAt.AddSeconds(duration), duration,
            summary, $"https://storage.example.com/recordings/{workspace}/{id}.mp3", known?.Contact);
    }

    // North American numbers: +1, an area code and exchange that do not start with 0 or 1.
    private static string Phone(Faker faker) =>
        $"+1{faker.Random.Int(201, 989)}{faker.Random.Int(200, 999)}{faker.Random.Int(0, 9999):D4}";

    private sealed record DemoAgent(string Id, string Name, string[] Topics);

    private sealed record DemoContact(Contact Contact, string Phone);
}
