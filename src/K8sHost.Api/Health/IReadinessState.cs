namespace K8sHost.Api.Health;

/// <summary>
/// What /readyz reports. Not ready while the server shuts down (so load balancers drain it first) and after the
/// store failed a request or a probe, until <see cref="StoreHealthMonitor"/>'s next probe reaches the store again.
/// </summary>
public interface IReadinessState
{
    bool IsReady { get; }

    /// <summary>Why the server is not ready, or null.</summary>
    string? Reason { get; }

    void MarkShuttingDown();

    void MarkStoreUnavailable(string reason);

    void MarkStoreAvailable();
}

public sealed class ReadinessState : IReadinessState
{
    private volatile bool _shuttingDown;
    private volatile string? _storeProblem;

    public bool IsReady => !_shuttingDown && _storeProblem is null;

    public string? Reason => _shuttingDown ? "shutting down" : _storeProblem is { } p ? "storage unavailable: " + p : null;

    public void MarkShuttingDown() => _shuttingDown = true;

    public void MarkStoreUnavailable(string reason) => _storeProblem = reason;

    public void MarkStoreAvailable() => _storeProblem = null;
}
