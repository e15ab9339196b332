namespace K8sHost.Bench;

/// <summary>
/// Command line and the sizes each phase uses. Full mode aims at ~10 minutes on 2 cores; smoke mode keeps every
/// phase (so every row is produced) but shrinks counts and durations to seconds, for CI.
/// </summary>
public sealed record BenchOptions
{
    public bool Smoke { get; init; }
    public bool Etcd { get; init; }
    public string OutDir { get; init; } = "bench/results";
    /// <summary>Path of K8sHost.Server.dll; by default the copy next to the bench assembly.</summary>
    public string? ServerDll { get; init; }
    /// <summary>Extra environment for the server process (--server-env NAME=VALUE), e.g. DOTNET_gcServer=0 to compare GC modes.</summary>
    public IReadOnlyDictionary<string, string> ServerEnv { get; init; } = new Dictionary<string, string>();

    /// <summary>Pods the server holds when its RSS is measured.</summary>
    public int RssPods { get; init; } = 100_000;
    /// <summary>Upper bound on the time the RSS fill may take, so a slow server cannot stretch the run indefinitely.</summary>
    public TimeSpan RssFillCap { get; init; } = TimeSpan.FromMinutes(4);

    public int GetConcurrency { get; init; } = 16;
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan StoreWindow { get; init; } = TimeSpan.FromSeconds(4);
    public int[] Concurrencies { get; init; } = [1, 16, 64];
    public int UpdateConcurrency { get; init; } = 16;

    public int ListPods { get; init; } = 10_000;
    public int PageSize { get; init; } = 500;
    public int ListRepeats { get; init; } = 20;
    public int PageWalks { get; init; } = 3;

    public int Watchers { get; init; } = 1000;
    public int WatchUpdatesPerSecond { get; init; } = 100;
    /// <summary>
    /// Pods the watch writers update, one sequential writer each (PUT with resourceVersion). 100 pods × 1 update/s keeps
    /// the rate even when one PUT takes hundreds of ms on a saturated machine (10 writers × 10/s fell behind: run 1).
    /// </summary>
    public int WatchWriterPods { get; init; } = 100;
    public TimeSpan WatchWindow { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(10);
    public int IdleWritesPerSecond { get; init; } = 20;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var pods = (int?)null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--smoke": o = o with { Smoke = true }; break;
                case "--etcd": o = o with { Etcd = true }; break;
                case "--out": o = o with { OutDir = Next() }; break;
                case "--server-dll": o = o with { ServerDll = Next() }; break;
                case "--server-env":
                    var pair = Next().Split('=', 2);
                    if (pair.Length != 2) throw new ArgumentException("--server-env needs NAME=VALUE");
                    o = o with { ServerEnv = new Dictionary<string, string>(o.ServerEnv) { [pair[0]] = pair[1] } };
                    break;
                case "--pods": pods = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "-h" or "--help":
                    throw new ArgumentException("usage: K8sHost.Bench [--smoke] [--etcd] [--out DIR] [--pods N] [--server-dll PATH] [--server-env NAME=VALUE]");
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }
        if (o.Smoke) o = o.AsSmoke();
        if (pods is { } p) o = o with { RssPods = Math.Max(1, p) };
        return o;
    }

    /// <summary>Same phases and rows, seconds in total.</summary>
    public BenchOptions AsSmoke() => this with
    {
        Smoke = true,
        RssPods = 300,
        RssFillCap = TimeSpan.FromSeconds(10),
        GetConcurrency = 4,
        Warmup = TimeSpan.FromMilliseconds(150),
        Window = TimeSpan.FromMilliseconds(500),
        StoreWindow = TimeSpan.FromMilliseconds(300),
        ListPods = 200,
        PageSize = 50,
        ListRepeats = 3,
        PageWalks = 1,
        Watchers = 20,
        WatchUpdatesPerSecond = 20,
        WatchWriterPods = 20,
        WatchWindow = TimeSpan.FromSeconds(1),
        IdleWindow = TimeSpan.FromSeconds(1),
        IdleWritesPerSecond = 5,
    };
}
