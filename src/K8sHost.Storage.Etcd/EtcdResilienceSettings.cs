namespace K8sHost.Storage.Etcd;

/// <summary>
/// Knobs of the call pipeline. Defaults derive from <see cref="StoreOptions.CallTimeout"/>: a whole call (all
/// retries included) never takes longer than CallTimeout, so a dead cluster turns into a 503 within that time,
/// and after the breaker opens every call fails at once until <see cref="BreakDuration"/> has passed.
/// </summary>
public sealed record EtcdResilienceSettings
{
    /// <summary>Upper bound of one store call, retries and backoff included.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Upper bound of one attempt, so a hung member leaves time to fail over to another one.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(2.5);

    public int MaxRetryAttempts { get; init; } = 5;

    /// <summary>First backoff delay; later ones grow exponentially with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the breaker stays open before letting one trial call through.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(1);

    public double FailureRatio { get; init; } = 0.5;

    public int MinimumThroughput { get; init; } = 5;

    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(10);

    public static EtcdResilienceSettings From(StoreOptions options)
    {
        var call = options.CallTimeout;
        var attempt = TimeSpan.FromTicks(Math.Max(call.Ticks / 2, TimeSpan.FromMilliseconds(100).Ticks));
        return new EtcdResilienceSettings { CallTimeout = call, AttemptTimeout = attempt };
    }
}
