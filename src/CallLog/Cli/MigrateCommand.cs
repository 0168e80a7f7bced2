using System.CommandLine;

namespace CallLog.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Create or upgrade the schema, then exit. (serve does this at start too.)");
        command.SetAction(parse =>
        {
            if (CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            Console.WriteLine($"{database.Description}: schema is up to date.");
            return 0;
        });
        return command;
    }
}
