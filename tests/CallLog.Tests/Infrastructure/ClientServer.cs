using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using CallLog.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CallLog.Tests.Infrastructure;

/// <summary>A server for the .NET client: a key that may do everything, and keys with small rate limits.</summary>
public sealed class ClientServer<TStore> : CallLogServer<TStore> where TStore : TestStore, new()
{
    public const string Workspace = "client";

    public string Everything { get; private set; } = "";
    public string SixtyAMinute { get; private set; } = "";
    public string OneAMinute { get; private set; } = "";

    protected override async Task SeedAsync()
    {
        Everything = (await Store.CreateKeyAsync("can_read_calls,can_write_calls,can_read_agents,can_read_contacts,can_write_contacts", Workspace, "--rate-limit", "0")).Secret;
        SixtyAMinute = (await Store.CreateKeyAsync("can_read_calls", Workspace, "--rate-limit", "60")).Secret;
        OneAMinute = (await Store.CreateKeyAsync("can_read_calls", Workspace, "--rate-limit", "1")).Secret;
    }

    public CallLogClient ClientFor(string key, CallLogClientOptions? options = null) => CallLogClient.Create(Client.BaseAddress!, key, options);
}
