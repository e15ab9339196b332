using K8sHost.Registry.Catalog;
using K8sHost.Server.Hosting;
using K8sHost.Storage;

namespace K8sHost.Server.Commands;

/// <summary>
/// `migrate --from URL --to URL`: copies every key of every tenant from one backend to another through the
/// IResourceStore drivers, then reads both back and compares them key by key. Values are copied byte for byte, so
/// uids, creation timestamps and everything else in an object are kept; resourceVersions are the target's revisions
/// (as after an etcd restore, clients re-list). The target must hold no objects, so a run never mixes two clusters.
/// The source should not be written to during the copy (stop the server first); the copy reads one revision.
/// </summary>
public static class StoreMigration
{
    private const int PageSize = 500;

    public static async Task RunAsync(CommandArgs a, TextWriter stdout, CancellationToken ct)
    {
        a.Only("--from", "--to", "--data-dir");
        if (a.Positionals.Count != 0) throw new CommandException($"unexpected argument \"{a.Positionals[0]}\"");
        var from = a.Required("--from");
        var to = a.Required("--to");
        var options = new StoreOptions { DataDir = a.Flag("--data-dir") ?? "./data" };
        await using var source = await StoreFactory.OpenAsync(from, StoreDrivers.All, options, ct);
        await using var target = await StoreFactory.OpenAsync(to, StoreDrivers.All, options, ct);

        var existing = await target.ListAsync(StorageKeys.Root, null, 1, 0, ct);
        if (existing.Value!.Items.Count > 0)
            throw new CommandException($"the target {to} already holds objects (e.g. {existing.Value.Items[0].Key}); migrate into an empty store");

        var revision = await source.GetCurrentRevisionAsync(ct);
        var perTenant = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var copied = 0;
        await foreach (var kv in ReadAllAsync(source, revision, ct))
        {
            var created = await target.CreateAsync(kv.Key, kv.Value, ct);
            if (created.Status != StoreStatus.Ok)
                throw new CommandException($"could not create {kv.Key} in the target: {created.Status}");
            var tenant = TenantOf(kv.Key);
            perTenant[tenant] = perTenant.GetValueOrDefault(tenant) + 1;
            copied++;
        }

        var verified = await VerifyAsync(source, revision, target, ct);
        if (verified != copied) throw new CommandException($"verification failed: copied {copied} keys but the target holds {verified}");
        foreach (var (tenant, n) in perTenant) stdout.WriteLine($"tenant {tenant}: {n} keys");
        stdout.WriteLine($"Migrated {copied} keys from {source.Name} (revision {revision}) to {target.Name}; every key verified byte for byte");
    }

    private static async IAsyncEnumerable<KeyValue> ReadAllAsync(IResourceStore store, long revision,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        string? after = null;
        while (true)
        {
            var page = await store.ListAsync(StorageKeys.Root, after, PageSize, revision, ct);
            if (page.Status != StoreStatus.Ok)
                throw new CommandException($"reading the source at revision {revision} failed: {page.Status} (was it written to during the copy?)");
            foreach (var kv in page.Value!.Items) yield return kv;
            if (!page.Value.More || page.Value.Items.Count == 0) yield break;
            after = page.Value.Items[^1].Key;
        }
    }

    // Walks both stores in key order together: same keys, same bytes.
    private static async Task<int> VerifyAsync(IResourceStore source, long revision, IResourceStore target, CancellationToken ct)
    {
        var count = 0;
        await using var targetKeys = ReadAllAsync(target, 0, ct).GetAsyncEnumerator(ct);
        await foreach (var kv in ReadAllAsync(source, revision, ct))
        {
            if (!await targetKeys.MoveNextAsync())
                throw new CommandException($"verification failed: {kv.Key} is missing from the target");
            var copy = targetKeys.Current;
            if (copy.Key != kv.Key) throw new CommandException($"verification failed: expected {kv.Key} in the target, found {copy.Key}");
            if (!copy.Value.AsSpan().SequenceEqual(kv.Value)) throw new CommandException($"verification failed: {kv.Key} differs in the target");
            count++;
        }
        if (await targetKeys.MoveNextAsync()) throw new CommandException($"verification failed: the target holds an extra key {targetKeys.Current.Key}");
        return count;
    }

    // "k8s/{org}/{project}/…" → "{org}/{project}".
    private static string TenantOf(string key)
    {
        var parts = key[StorageKeys.Root.Length..].Split('/', 3);
        return parts.Length >= 2 ? parts[0] + "/" + parts[1] : key;
    }
}
