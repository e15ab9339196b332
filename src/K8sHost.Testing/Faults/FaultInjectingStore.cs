using System.Runtime.CompilerServices;
using K8sHost.Storage;

namespace K8sHost.Testing.Faults;

/// <summary>
/// Sits between the server and its real store and, while a fault is switched on, fails every store call the way an
/// unreachable backend does. The server's own error handling then answers clients (503 with Retry-After for an
/// unavailable store, 504 for a store that does not answer in time), so tests see exactly what a kube-apiserver whose
/// etcd is down would say. With no fault active every call passes straight through.
/// </summary>
internal sealed class FaultInjectingStore(IResourceStore inner) : IResourceStore
{
    private volatile StoreFault? _fault;

    public IResourceStore Inner => inner;

    public string Name => inner.Name;

    public void Set(StoreFault? fault) => _fault = fault;

    public StoreFault? Active => _fault is { } f && !f.HasEnded ? f : null;

    public async Task<long> GetCurrentRevisionAsync(CancellationToken ct = default)
    {
        ThrowIfFaulted();
        return await inner.GetCurrentRevisionAsync(ct);
    }

    public async Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default)
    {
        ThrowIfFaulted();
        return await inner.GetAsync(key, ct);
    }

    public async Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default)
    {
        ThrowIfFaulted();
        return await inner.CreateAsync(key, value, ct);
    }

    public async Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default)
    {
        ThrowIfFaulted();
        return await inner.UpdateAsync(key, value, expectedModRevision, ct);
    }

    public async Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default)
    {
        ThrowIfFaulted();
        return await inner.DeleteAsync(key, expectedModRevision, ct);
    }

    public async Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default)
    {
        ThrowIfFaulted();
        return await inner.ListAsync(prefix, startAfter, limit, revision, ct);
    }

    public async IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ThrowIfFaulted();
        await foreach (var ev in inner.WatchAsync(prefix, afterRevision, ct))
        {
            ThrowIfFaulted();
            yield return ev;
        }
    }

    public async Task CompactAsync(long revision, CancellationToken ct = default)
    {
        ThrowIfFaulted();
        await inner.CompactAsync(revision, ct);
    }

    public async Task<long> GetCompactedRevisionAsync(CancellationToken ct = default)
    {
        ThrowIfFaulted();
        return await inner.GetCompactedRevisionAsync(ct);
    }

    // The inner store is owned by TestApiServer, which disposes it after the host is gone.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void ThrowIfFaulted()
    {
        if (Active is not { } fault) return;
        // An OperationCanceledException the client did not cause is the server's "no answer in time": 504 Timeout.
        if (fault.Kind == StoreFaultKind.Timeout) throw new OperationCanceledException("injected fault: the store did not answer in time");
        throw new StoreUnavailableException("injected fault: the store is unreachable");
    }
}

/// <summary>One switched-on fault: what kind, and until when (null = until cleared).</summary>
internal sealed record StoreFault(StoreFaultKind Kind, DateTime? UntilUtc)
{
    public bool HasEnded => UntilUtc is { } until && DateTime.UtcNow >= until;
}
