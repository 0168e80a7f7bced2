// The store floor: the mix of bench/mix.lua as straightforward SQL, with no HTTP and no service around it.
//
//   Floor sqlite DB_FILE --deep-offset N [--connections 32] [--duration 30] [--workspace-id 1]
//       runs the mix on SQLite from as many threads, each with its own connection and prepared statements,
//       and prints "requests/s p50 p99 p999" (milliseconds).
//   Floor pgbench DIR --deep-offset N [--workspace-id 1]
//       writes the same mix as pgbench scripts into DIR and prints pgbench's -f arguments with weights.
using System.Diagnostics;
using System.Globalization;
using Floor;
using Microsoft.Data.Sqlite;

var options = Enumerable.Range(0, (args.Length - 2) / 2).ToDictionary(i => args[2 + 2 * i], i => args[3 + 2 * i]);
long Option(string name, long fallback) => options.TryGetValue(name, out var v) ? long.Parse(v, CultureInfo.InvariantCulture) : fallback;
var shapes = Mix.Shapes(Option("--deep-offset", 0));
var workspace = Option("--workspace-id", 1);

if (args[0] == "pgbench")
{
    Directory.CreateDirectory(args[1]);
    var arguments = new List<string>();
    for (var i = 0; i < shapes.Length; i++)
    {
        var shape = shapes[i];
        var file = Path.Combine(args[1], $"{i}.sql");
        var sets = shape.Variables.Select(v => $"\\set {v.Key} random({v.Value.Min}, {v.Value.Max})");
        File.WriteAllLines(file, [$"-- {shape.Name}", .. sets, shape.Count(workspace), shape.Page(workspace)]);
        arguments.Add($"-f {file}@{shape.Weight}");
    }
    Console.WriteLine(string.Join(' ', arguments));
    return 0;
}

var connections = (int)Option("--connections", 32);
var duration = TimeSpan.FromSeconds(Option("--duration", 30));
var deck = shapes.SelectMany(shape => Enumerable.Repeat(shape, shape.Weight)).ToArray();
var latencies = new List<double>[connections];
var clock = Stopwatch.StartNew();
var threads = Enumerable.Range(0, connections).Select(t => new Thread(() =>
{
    using var connection = new SqliteConnection($"Data Source={args[1]};Mode=ReadOnly;Pooling=False");
    connection.Open();
    var commands = shapes.ToDictionary(shape => shape, shape => Prepare(connection, shape, workspace));
    var random = new Random(t);
    var mine = latencies[t] = [];
    while (clock.Elapsed < duration)
    {
        var started = Stopwatch.GetTimestamp();
        var shape = deck[random.Next(deck.Length)];
        foreach (var command in commands[shape])
        {
            foreach (SqliteParameter parameter in command.Parameters)
            {
                var (min, max) = shape.Variables[parameter.ParameterName[1..]];
                parameter.Value = random.NextInt64(min, max + 1);
            }
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.GetValue(i);
                }
            }
        }
        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
})).ToList();
threads.ForEach(thread => thread.Start());
threads.ForEach(thread => thread.Join());
var all = latencies.SelectMany(l => l).Order().ToArray();
double Percentile(double p) => all[Math.Min(all.Length - 1, (int)(p * all.Length))];
Console.WriteLine(FormattableString.Invariant($"{all.Length / clock.Elapsed.TotalSeconds:0.0} {Percentile(0.5):0.00} {Percentile(0.99):0.00} {Percentile(0.999):0.00}"));
return 0;

static SqliteCommand[] Prepare(SqliteConnection connection, Shape shape, long workspace) =>
    [.. new[] { shape.Count(workspace), shape.Page(workspace) }.Select(sql =>
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in shape.Variables.Keys.Where(name => sql.Contains(':' + name, StringComparison.Ordinal)))
        {
            command.Parameters.Add(new SqliteParameter(':' + name, 0L));
        }
        command.Prepare();
        return command;
    })];
