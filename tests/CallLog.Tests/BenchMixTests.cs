using System.Text.RegularExpressions;
using CallLog.Tests.Infrastructure;

namespace CallLog.Tests;

/// <summary>
/// The store floor is only a floor for the mix wrk sends if it runs the same shapes in the same
/// proportions: bench/mix.lua and bench/Floor/Mix.cs state them separately (Lua and C#), so this keeps
/// the two lists of weights equal, in order.
/// </summary>
public sealed partial class BenchMixTests
{
    [Fact]
    public async Task TheFloorRunsTheMixWithTheSameWeightsAsWrk()
    {
        var lua = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "bench", "mix.lua"), TestContext.Current.CancellationToken);
        var floor = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "bench", "Floor", "Mix.cs"), TestContext.Current.CancellationToken);

        var wrkWeights = LuaShape().Matches(lua).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var floorWeights = FloorShape().Matches(floor).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

        Assert.Equal(9, wrkWeights.Count);
        Assert.Equal(wrkWeights, floorWeights);
    }

    [GeneratedRegex(@"\{ (\d+), function\(\)")]
    private static partial Regex LuaShape();

    [GeneratedRegex(@"new\(""[^""]+"", (\d+),")]
    private static partial Regex FloorShape();
}
