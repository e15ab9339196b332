using Google.Protobuf;
using K8sHost.Storage.Etcd.Protocol;

namespace K8sHost.Storage.Etcd;

/// <summary>
/// <see cref="IResourceStore"/> on etcd v3 (gRPC). The store revision is etcd's revision, so a value's
/// ModRevision is the object's resourceVersion, exactly as with kube-apiserver on etcd.
///
/// Writes are single compare-Txns, which is what makes retrying them safe: a retry after an ambiguous failure
/// (the first attempt may or may not have been applied) re-runs the same Txn, and its failure branch reads the
/// key back. If what is stored is byte-for-byte the value we were writing (and for a create, never modified since),
/// the earlier attempt won and we report success with the stored revision; otherwise the usual KeyExists/Conflict.
/// An ambiguous delete whose retry finds the key gone is reported as NotFound (the delete revision and old value
/// are no longer knowable cheaply).
/// </summary>
public sealed class EtcdStore : IResourceStore
{
    private static readonly ByteString RevisionProbeKey = ByteString.CopyFrom(0);

    private readonly EtcdEndpoints _endpoints;
    private readonly EtcdCallRunner _runner;
    private readonly EtcdCompactionTracker _compaction;
    private readonly EtcdWatchFeed _watch;
    private readonly int _scanBatchSize;
    private readonly CancellationTokenSource _closed = new();

    public EtcdStore(IReadOnlyList<Uri> endpoints, StoreOptions options, EtcdResilienceSettings? resilience = null)
    {
        var settings = resilience ?? EtcdResilienceSettings.From(options);
        _endpoints = new EtcdEndpoints(endpoints, settings.CallTimeout);
        _runner = new EtcdCallRunner(_endpoints, settings);
        _compaction = new EtcdCompactionTracker(_runner);
        _watch = new EtcdWatchFeed(_endpoints, _compaction, settings, _closed.Token);
        _scanBatchSize = Math.Max(1, options.ScanBatchSize);
    }

    public string Name => "etcd";

    /// <summary>The member calls currently go to (changes on failover).</summary>
    public Uri ActiveEndpoint => _endpoints.Active.Address;

    public Task<long> GetCurrentRevisionAsync(CancellationToken ct = default) =>
        _runner.RunAsync(
            "current revision",
            async (endpoint, _, token) =>
            {
                var response = await endpoint.Kv.RangeAsync(new RangeRequest { Key = RevisionProbeKey, CountOnly = true }, cancellationToken: token);
                return response.Header.Revision;
            },
            ct);

    public Task<StoreResult<KeyValue>> GetAsync(string key, CancellationToken ct = default) =>
        _runner.RunAsync(
            "get",
            async (endpoint, _, token) =>
            {
                var response = await endpoint.Kv.RangeAsync(EtcdRequests.GetKey(EtcdKeys.ToBytes(key)), cancellationToken: token);
                return response.Kvs.Count == 0
                    ? StoreResult<KeyValue>.Fail(StoreStatus.NotFound)
                    : StoreResult<KeyValue>.Ok(EtcdKeys.ToKeyValue(response.Kvs[0]));
            },
            ct);

    public Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default)
    {
        var etcdKey = EtcdKeys.ToBytes(key);
        var txn = new TxnRequest
        {
            Compare = { EtcdRequests.Absent(etcdKey) },
            Success = { EtcdRequests.Put(etcdKey, value) },
            Failure = { EtcdRequests.Read(etcdKey) },
        };
        return _runner.RunAsync(
            "create",
            async (endpoint, attempt, token) =>
            {
                var response = await endpoint.Kv.TxnAsync(txn, cancellationToken: token);
                if (response.Succeeded)
                {
                    return StoreResult<long>.Ok(response.Header.Revision);
                }

                var current = EtcdRequests.ReadBack(response);
                if (attempt > 0 && current is not null && current.CreateRevision == current.ModRevision && current.Value.Span.SequenceEqual(value.Span))
                {
                    return StoreResult<long>.Ok(current.ModRevision); // our earlier, ambiguous attempt created it
                }

                return current is null
                    ? throw new InvalidOperationException("etcd create failed its compare but the key is absent")
                    : StoreResult<long>.Fail(StoreStatus.KeyExists, EtcdKeys.ToKeyValue(current));
            },
            ct);
    }

    public Task<StoreResult<long>> UpdateAsync(string key, ReadOnlyMemory<byte> value, long expectedModRevision, CancellationToken ct = default)
    {
        var etcdKey = EtcdKeys.ToBytes(key);
        var txn = new TxnRequest
        {
            // "Present" matters for expected 0: an absent key has mod_revision 0 and would otherwise be created.
            Compare = { EtcdRequests.Present(etcdKey), EtcdRequests.ModRevisionIs(etcdKey, expectedModRevision) },
            Success = { EtcdRequests.Put(etcdKey, value) },
            Failure = { EtcdRequests.Read(etcdKey) },
        };
        return _runner.RunAsync(
            "update",
            async (endpoint, attempt, token) =>
            {
                var response = await endpoint.Kv.TxnAsync(txn, cancellationToken: token);
                if (response.Succeeded)
                {
                    return StoreResult<long>.Ok(response.Header.Revision);
                }

                var current = EtcdRequests.ReadBack(response);
                if (current is null)
                {
                    return StoreResult<long>.Fail(StoreStatus.NotFound);
                }

                if (attempt > 0 && current.ModRevision > expectedModRevision && current.Value.Span.SequenceEqual(value.Span))
                {
                    return StoreResult<long>.Ok(current.ModRevision); // our earlier, ambiguous attempt applied
                }

                return StoreResult<long>.Fail(StoreStatus.Conflict, EtcdKeys.ToKeyValue(current));
            },
            ct);
    }

    public Task<StoreResult<long>> DeleteAsync(string key, long expectedModRevision, CancellationToken ct = default)
    {
        var etcdKey = EtcdKeys.ToBytes(key);
        var txn = new TxnRequest
        {
            Compare = { expectedModRevision > 0 ? EtcdRequests.ModRevisionIs(etcdKey, expectedModRevision) : EtcdRequests.Present(etcdKey) },
            Success = { EtcdRequests.Delete(etcdKey) },
            Failure = { EtcdRequests.Read(etcdKey) },
        };
        return _runner.RunAsync(
            "delete",
            async (endpoint, _, token) =>
            {
                var response = await endpoint.Kv.TxnAsync(txn, cancellationToken: token);
                if (response.Succeeded)
                {
                    var deleted = response.Responses[0].ResponseDeleteRange;
                    return deleted.PrevKvs.Count == 0
                        ? StoreResult<long>.Fail(StoreStatus.NotFound)
                        : StoreResult<long>.Ok(response.Header.Revision, EtcdKeys.ToKeyValue(deleted.PrevKvs[0]));
                }

                var current = EtcdRequests.ReadBack(response);
                return current is null
                    ? StoreResult<long>.Fail(StoreStatus.NotFound)
                    : StoreResult<long>.Fail(StoreStatus.Conflict, EtcdKeys.ToKeyValue(current));
            },
            ct);
    }

    public async Task<StoreResult<RangeResult>> ListAsync(string prefix, string? startAfter, int limit, long revision = 0, CancellationToken ct = default)
    {
        if (limit > 0)
        {
            return await ListPageAsync(prefix, startAfter, limit, revision, ct);
        }

        // No limit: fetch in ScanBatchSize pages, all at the revision of the first page, so the result is one snapshot.
        var items = new List<KeyValue>();
        var after = startAfter;
        while (true)
        {
            var page = await ListPageAsync(prefix, after, _scanBatchSize, revision, ct);
            if (!page.IsOk)
            {
                return page;
            }

            items.AddRange(page.Value!.Items);
            revision = page.Value.Revision;
            if (!page.Value.More || page.Value.Items.Count == 0)
            {
                return StoreResult<RangeResult>.Ok(new RangeResult(items, revision, false));
            }

            after = items[^1].Key;
        }
    }

    private async Task<StoreResult<RangeResult>> ListPageAsync(string prefix, string? startAfter, int limit, long revision, CancellationToken ct)
    {
        // startAfter is a whole key; "key + \0" is the first key strictly after it. A startAfter before the prefix
        // reads from the prefix; one past the prefix range leaves nothing to read.
        var start = startAfter is null || string.CompareOrdinal(startAfter, prefix) < 0
            ? EtcdKeys.ToBytes(prefix)
            : EtcdKeys.After(startAfter);
        var end = EtcdKeys.PrefixEnd(prefix);
        if (!EtcdKeys.IsBefore(start, end))
        {
            var at = revision > 0 ? revision : await GetCurrentRevisionAsync(ct);
            return StoreResult<RangeResult>.Ok(new RangeResult([], at, false));
        }

        var request = new RangeRequest
        {
            Key = start,
            RangeEnd = end,
            Limit = limit,
            Revision = revision,
        };
        return await _runner.RunAsync(
            "list",
            async (endpoint, _, token) =>
            {
                try
                {
                    var response = await endpoint.Kv.RangeAsync(request, cancellationToken: token);
                    var items = response.Kvs.Select(EtcdKeys.ToKeyValue).ToList();
                    return StoreResult<RangeResult>.Ok(new RangeResult(items, revision > 0 ? revision : response.Header.Revision, response.More));
                }
                catch (Exception ex) when (EtcdFailures.IsCompacted(ex))
                {
                    return StoreResult<RangeResult>.Fail(StoreStatus.Compacted);
                }
            },
            ct);
    }

    public IAsyncEnumerable<StoreEvent> WatchAsync(string prefix, long afterRevision, CancellationToken ct = default) =>
        _watch.WatchAsync(prefix, afterRevision, ct);

    public async Task CompactAsync(long revision, CancellationToken ct = default)
    {
        await _runner.RunAsync(
            "compact",
            async (endpoint, _, token) =>
            {
                try
                {
                    await endpoint.Kv.CompactAsync(new CompactionRequest { Revision = revision }, cancellationToken: token);
                }
                catch (Exception ex) when (EtcdFailures.IsCompacted(ex))
                {
                    // Already compacted at or beyond this revision (by us on an earlier attempt, or by someone else).
                }

                return true;
            },
            ct);
        _compaction.Observe(revision);
    }

    public Task<long> GetCompactedRevisionAsync(CancellationToken ct = default) => _compaction.GetAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        _endpoints.Dispose();
    }
}
