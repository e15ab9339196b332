using K8sHost.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace K8sHost.Api.Health;

/// <summary>
/// Keeps the store's health in <see cref="IReadinessState"/> current in the background: one bounded probe per
/// <see cref="Interval"/>, so /readyz answers from memory at once instead of waiting on a store that may hang
/// (a frozen etcd answers nothing until its timeouts fire).
/// </summary>
public sealed class StoreHealthMonitor(IServiceProvider services, IReadinessState state, ILogger<StoreHealthMonitor> logger) : BackgroundService
{
    /// <summary>Time between the end of one probe and the start of the next.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>A probe that takes longer counts as a failure: how stale "ready" can be once the store stops answering.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IResourceStore>() is not { } store) return;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ProbeAsync(store, stoppingToken);
                await Task.Delay(Interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync(IResourceStore store, CancellationToken stoppingToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        cts.CancelAfter(ProbeTimeout);
        try
        {
            // WaitAsync as well: a store that ignores cancellation must not stall the monitor.
            await store.GetCurrentRevisionAsync(cts.Token).WaitAsync(cts.Token);
            if (!state.IsReady && state.Reason != "shutting down") logger.LogInformation("store reachable again");
            state.MarkStoreAvailable();
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"the store did not answer within {ProbeTimeout.TotalSeconds:0.#}s" : ex.Message;
            if (state.IsReady) logger.LogWarning("store probe failed: {Reason}", reason);
            state.MarkStoreUnavailable(reason);
        }
    }
}
