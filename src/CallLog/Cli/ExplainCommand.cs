using System.CommandLine;
using CallLog.Calls;
using CallLog.Calls.List;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace CallLog.Cli;

internal static class ExplainCommand
{
    public static Command Create()
    {
        var workspace = CliSupport.WorkspaceOption();
        var filters = new FilterOptions();
        var limit = new Option<int>("--limit") { Description = "Page size, 1-100.", DefaultValueFactory = _ => 10 };
        var page = new Option<int>("--page") { Description = "Page number (an OFFSET plan).", DefaultValueFactory = _ => 1 };
        var keyset = new Option<bool>("--keyset") { Description = "Show the plan of a page after a cursor instead." };
        var analyze = new Option<bool>("--analyze") { Description = "PostgreSQL: run the queries and show the rows each step read (EXPLAIN ANALYZE)." };
        var sql = new Option<bool>("--sql") { Description = "Print the statements themselves, with their parameters' values, instead of their plans." };
        var queryString = new Option<string?>("--query")
        {
            Description = "The request's query string instead of the other options, exactly as the API takes it, e.g. 'phone_number=%2B1555*&sort=-duration_seconds&limit=25'.",
        };
        var command = new Command("explain", "Print the store's query plans for one list request: how the count and the page are read.")
        {
            workspace, limit, page, keyset, analyze, sql, queryString,
        };
        filters.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(limit) is < 1 or > CallListQuery.MaxLimit || parse.GetValue(page) < 1)
            {
                return CliSupport.Fail($"--limit must be 1-{CallListQuery.MaxLimit} and --page at least 1.");
            }
            if (filters.Parse(parse) is not { } filter || CliSupport.Workspace(parse, workspace) is not { } name || CliSupport.OpenDatabase(parse) is not { } database)
            {
                return 1;
            }
            var query = new CallListQuery(filter, Page: parse.GetValue(page), Limit: parse.GetValue(limit));
            if (parse.GetValue(queryString) is { } text)
            {
                if (CallListQuery.Parse(new QueryCollection(QueryHelpers.ParseQuery(text)), out var error) is not { } parsed)
                {
                    return CliSupport.Fail($"--query: {error!.Message}");
                }
                query = parsed;
            }
            var plans = await CallPlans.ExplainAsync(database, name, query, parse.GetValue(keyset), parse.GetValue(analyze), parse.GetValue(sql), cancellationToken);
            foreach (var (title, plan) in plans)
            {
                Console.WriteLine($"-- {title}");
                Console.WriteLine(plan);
                Console.WriteLine();
            }
            return 0;
        });
        return command;
    }
}
