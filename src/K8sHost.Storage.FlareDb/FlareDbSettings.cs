namespace K8sHost.Storage.FlareDb;

/// <summary>Tunables of the FlareDB adapter that are not shared with other backends. Tests shorten them.</summary>
internal sealed record FlareDbSettings
{
    /// <summary>How long a write may stay in flight (revision allocated, log slot empty) before readers fence it off as aborted.</summary>
    public TimeSpan IntentGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a watcher polls the log when no local write woke it (writes from other API server replicas).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often an idle watcher reports "nothing newer than revision N".</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times one call re-routes after region errors before giving up.</summary>
    public int MaxRegionRetries { get; init; } = 10;

    /// <summary>Transport retries per call on Unavailable/DeadlineExceeded/timeouts.</summary>
    public int TransportRetries { get; init; } = 2;

    /// <summary>Circuit breaker: after this many failing calls in <see cref="BreakerSampling"/>, calls fail fast for <see cref="BreakDuration"/>.</summary>
    public int BreakerMinimumThroughput { get; init; } = 4;

    public TimeSpan BreakerSampling { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Must exceed the call timeout, or each half-open probe makes a call wait the full timeout again.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(10);

    public static FlareDbSettings For(StoreOptions options) => new()
    {
        // A write that has not finished within two call timeouts (plus slack) is dead or partitioned.
        IntentGrace = options.CallTimeout * 2 + TimeSpan.FromSeconds(1),
        // Shorter than a call timeout, a half-open probe would hang every call anyway; longer keeps failing fast.
        BreakDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(2).Ticks, options.CallTimeout.Ticks * 2)),
        // The window must hold several timed-out attempts, or a hanging cluster never reaches the minimum throughput.
        BreakerSampling = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(10).Ticks, options.CallTimeout.Ticks * 3)),
    };
}
