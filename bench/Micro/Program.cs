// The list endpoint's hot path, one part at a time, with allocations (BenchmarkDotNet, MemoryDiagnoser):
//
//   dotnet run -c Release --project bench/Micro -- --filter '*'
using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CallLog.Micro.ListPathBenchmarks).Assembly).Run(args);
