using BenchmarkDotNet.Attributes;
using CallLog.Calls;
using CallLog.Calls.List;

namespace CallLog.Micro;

/// <summary>
/// Answering GET /api/v1/calls after authentication: building the SQL, and reading a page of rows from the
/// store (<see cref="MicroStore"/>) straight into the response's JSON. The difference in allocations between
/// the pages of 100 and of 10 rows, divided by 90, is the per-row cost the results quote.
/// </summary>
[MemoryDiagnoser]
public class ListPathBenchmarks
{
    private MicroStore _store = null!;
    private CallFilter _filter = null!;
    private CallListQuery _query = null!;

    public static IEnumerable<string> Stores => MicroStore.Available();

    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "sqlite";

    /// <summary>Rows per page: the default and the largest.</summary>
    [Params(10, 100)]
    public int Limit { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = new MicroStore(Store);
        _query = new CallListQuery(new CallConditions(), Limit: Limit);
        _filter = new CallFilter(_store.WorkspaceId, null, null, null, _query.Conditions);
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>The count and page SQL with their parameters, as the list builds them per request.</summary>
    [Benchmark]
    public int BuildQueries()
    {
        var (count, _) = CallListSql.CountQuery(_filter, _store.Database);
        var (page, _) = CallListSql.PageQuery(_filter, _query.Sort, null, 0, Limit + 1, _store.Database);
        return count.Length + page.Length;
    }

    /// <summary>
    /// Count and page from the store, each row written into the response's JSON as it is read, next cursor
    /// signed: everything the list does after authentication except sending the bytes.
    /// </summary>
    [Benchmark]
    public async Task<int> ReadPage()
    {
        using var page = await _store.List.ListAsync(_store.WorkspaceId, _query, null, CancellationToken.None);
        return page.Body.Length;
    }
}
