using System.CommandLine;
using CallLog.Cli;

// calllog: the CallLog HTTP service and the commands that manage its data. One program, one table of contents.
Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

var root = new RootCommand("CallLog: call records for voice-AI agent platforms, served over a Klen-compatible HTTP API.")
{
    CliSupport.Db,
    ServeCommand.Create(),    // serve [--urls URL] [--demo]
    MigrateCommand.Create(),  // migrate
    KeysCommand.Create(),     // keys create | list | revoke
    WebhooksCommand.Create(), // webhooks create | list | delete | deliveries | redeliver
    DncCommand.Create(),      // dnc import FILE|-
    CampaignsCommand.Create(), // campaigns create --file FILE
    ImportCommand.Create(),   // import FILE|-
    ExportCommand.Create(),   // export
    DemoCommand.Create(),     // demo [--calls N] [--seed S]
    ExplainCommand.Create(),  // explain: the store's plans for one list request
};
try
{
    // What a command did not foresee still leaves as one line naming the cause, never a stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception ex)
{
    return CliSupport.Fail(CliSupport.Describe(ex));
}
