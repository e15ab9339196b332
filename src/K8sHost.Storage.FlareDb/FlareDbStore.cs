using K8sHost.Storage.FlareDb.Layout;
using K8sHost.Storage.FlareDb.Resilience;
using K8sHost.Storage.FlareDb.Routing;

namespace K8sHost.Storage.FlareDb;

/// <summary>
/// <see cref="IResourceStore"/> over FlareDB's raw KV API (TiKV-shaped). Raw KV has no MVCC, so this adapter keeps
/// its own: a global revision counter, per-key envelopes (value + create/mod revision) swapped with
/// RawCompareAndSwap, and an ordered change log of one slot per revision. See docs/flaredb.md for the protocol
/// and its failure cases. The partial files hold reads, writes, the watch feed and compaction.
/// </summary>
public sealed partial class FlareDbStore : IResourceStore
{
    private readonly Channels _channels;
    private readonly RawKvClient _kv;
    private readonly RevisionCounter _counter;
    private readonly LogSettler _settler;
    private readonly ChangeSignal _signal = new();
    private readonly StoreOptions _options;
    private readonly FlareDbSettings _settings;

    private FlareDbStore(Channels channels, RawKvClient kv, StoreOptions options, FlareDbSettings settings)
    {
        _channels = channels;
        _kv = kv;
        _options = options;
        _settings = settings;
        _counter = new RevisionCounter(kv);
        _settler = new LogSettler(kv, settings, BatchSize);
    }

    public string Name => "flaredb";

    private int BatchSize => Math.Max(1, _options.ScanBatchSize);

    /// <summary>Connects to PD, checks the cluster answers and reads the revision counter once.</summary>
    internal static async Task<FlareDbStore> OpenAsync(IReadOnlyList<string> pdEndpoints, StoreOptions options, FlareDbSettings settings, CancellationToken ct)
    {
        var channels = new Channels(options.CallTimeout);
        var pipeline = new CallPipeline(options.CallTimeout, settings);
        var pd = new PdClient(pdEndpoints, channels, pipeline);
        var kv = new RawKvClient(pd, channels, pipeline, settings);
        var store = new FlareDbStore(channels, kv, options, settings);
        try
        {
            await pd.GetMembersAsync(ct);
            await store._counter.CurrentAsync(ct);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The counter, once every revision up to it is decided: a caller that starts a watch after this revision must
    /// not miss a write that drew a lower revision and commits a moment later.
    /// </summary>
    public async Task<long> GetCurrentRevisionAsync(CancellationToken ct = default)
    {
        var current = await _counter.CurrentAsync(ct);
        await _settler.SettleAsync(await GetCompactedRevisionAsync(ct), current, ct);
        return current;
    }

    public async Task<long> GetCompactedRevisionAsync(CancellationToken ct = default)
    {
        var bytes = await _kv.GetAsync(Keys.CompactedRevision, ct);
        return bytes is null ? 0 : Keys.DecodeLong(bytes);
    }

    public ValueTask DisposeAsync()
    {
        _channels.Dispose();
        return ValueTask.CompletedTask;
    }

    private static KeyValue ToKeyValue(string key, Envelope live) => new(key, live.Value, live.CreateRevision, live.ModRevision);
}
