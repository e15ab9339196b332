using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Backends;
using K8sHost.E2E.Tests.Infrastructure;
using K8sHost.Storage;
using K8sHost.Storage.Sqlite;
using Xunit;

namespace K8sHost.E2E.Tests.Operations;

/// <summary>`migrate --from URL --to URL` between the embedded store and a real etcd, and back.</summary>
[Collection("kubectl")]
public sealed class MigrationTests
{
    private const string Tokens =
        // Each administers its own tenant (system:masters there), so RBAC lets them read everything in it.
        "alice-token-123,alice,1001,\"dev,system:masters\",acme,web\n" +
        "bob-token-456,bob,1002,\"dev,system:masters\",globex,billing\n";

    // Kinds and how many of each every tenant gets: a few thousand objects over three tenants.
    private static readonly (string Path, int Count, Func<string, string> Body)[] Kinds =
    [
        ("/api/v1/namespaces/default/configmaps", 300, n => $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{n}\",\"labels\":{{\"app\":\"m\"}}}},\"data\":{{\"k\":\"{n}\"}}}}"),
        ("/api/v1/namespaces/default/secrets", 200, n => $"{{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{{\"name\":\"{n}\"}},\"stringData\":{{\"p\":\"{n}\"}}}}"),
        ("/api/v1/namespaces/default/serviceaccounts", 100, n => $"{{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{{\"name\":\"{n}\"}}}}"),
        ("/apis/coordination.k8s.io/v1/namespaces/default/leases", 100, n => $"{{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{{\"name\":\"{n}\"}},\"spec\":{{\"holderIdentity\":\"{n}\"}}}}"),
        ("/api/v1/namespaces", 10, n => $"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{n}\"}}}}"),
    ];

    private static HttpClient As(ServerProcess server, string? token)
    {
        var c = BackendHttp.Client(server, TimeSpan.FromSeconds(60));
        if (token is not null) c.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return c;
    }

    private static async Task<Dictionary<string, byte[]>> DumpSqliteAsync(string dataDir)
    {
        await using var store = await SqliteStore.OpenAsync(new SqliteStoreSettings
        {
            Path = Path.Combine(dataDir, "state.db"),
            RunBackgroundCompactor = false,
        });
        var all = await store.ListAsync("k8s/", null, 0);
        return all.Value!.Items.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    private static async Task<Dictionary<string, string>> UidsAsync(HttpClient http, string path)
    {
        var list = await BackendHttp.GetJsonAsync(http, path);
        return list["items"]!.AsArray().ToDictionary(
            i => i!["metadata"]!["name"]!.GetValue<string>(),
            i => i!["metadata"]!["uid"]!.GetValue<string>() + "@" + i["metadata"]!["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public async Task Migrate_SqliteToEtcdAndBack_KeepsEveryObjectOfEveryTenantByteForByte_AndKubectlSeesThem()
    {
        var work = Directory.CreateTempSubdirectory("migrate-e2e-").FullName;
        var tokens = Path.Combine(work, "tokens.csv");
        await File.WriteAllTextAsync(tokens, Tokens);
        string?[] tenants = [null, "alice-token-123", "bob-token-456"];

        var source = new ServerProcess(null, "--token-auth-file", tokens);
        var before = new Dictionary<(string?, string), Dictionary<string, string>>();
        await using (source)
        {
            await source.StartAsync();
            foreach (var token in tenants)
            {
                using var http = As(source, token);
                foreach (var (path, count, body) in Kinds)
                {
                    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (i, ct) =>
                    {
                        var name = path.EndsWith("/namespaces", StringComparison.Ordinal) ? $"migrated-{i}" : $"obj-{i}";
                        var r = await http.PostAsync(path, new StringContent(body(name), Encoding.UTF8, "application/json"), ct);
                        Assert.True(r.IsSuccessStatusCode, $"{path} {name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
                    });
                    before[(token, path)] = await UidsAsync(http, path);
                }
            }
            await source.TerminateAsync(TimeSpan.FromSeconds(20));
            var original = await DumpSqliteAsync(source.DataDir);
            Assert.True(original.Count > 3 * 700, $"only {original.Count} keys were written");

            await using var etcd = new EtcdMember();
            await etcd.StartAsync();
            var toEtcd = await ServerCommand.OkAsync("migrate", "--from", "sqlite://", "--data-dir", source.DataDir, "--to", etcd.StorageUrl);
            Assert.Contains($"Migrated {original.Count} keys from sqlite", toEtcd.StdOut);
            Assert.Contains("tenant acme/web:", toEtcd.StdOut);
            Assert.Contains("tenant globex/billing:", toEtcd.StdOut);
            Assert.Contains("tenant default-org/default-project:", toEtcd.StdOut);

            // A second run into the now non-empty etcd is refused rather than mixing clusters.
            var again = await ServerCommand.RunAsync("migrate", "--from", "sqlite://", "--data-dir", source.DataDir, "--to", etcd.StorageUrl);
            Assert.Equal(1, again.ExitCode);
            Assert.Contains("already holds objects", again.StdErr);

            // The server runs on the migrated etcd and kubectl sees the admin's objects there.
            await using (var onEtcd = new ServerProcess(null, "--storage", etcd.StorageUrl, "--token-auth-file", tokens))
            {
                await onEtcd.StartAsync();
                var names = await new Infrastructure.Kubectl(onEtcd).OkAsync("get configmaps -n default -o name");
                Assert.Equal(300, names.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(n => n.StartsWith("configmap/obj-", StringComparison.Ordinal)));
                await onEtcd.TerminateAsync(TimeSpan.FromSeconds(20));
            }

            var backDir = Path.Combine(work, "back");
            var toSqlite = await ServerCommand.OkAsync("migrate", "--from", etcd.StorageUrl, "--to", "sqlite://", "--data-dir", backDir);
            Assert.Contains($"Migrated {original.Count} keys from etcd", toSqlite.StdOut);
            var roundTripped = await DumpSqliteAsync(backDir);
            Assert.Equal(original.Keys.Order(StringComparer.Ordinal), roundTripped.Keys.Order(StringComparer.Ordinal));
            Assert.All(original, kv => Assert.True(kv.Value.AsSpan().SequenceEqual(roundTripped[kv.Key]), $"{kv.Key} changed"));

            // The server on the round-tripped store: every tenant sees all its objects, same uids and creation times.
            await using var migrated = new ServerProcess(backDir, "--token-auth-file", tokens);
            await migrated.StartAsync();
            var kubectl = new Infrastructure.Kubectl(migrated);
            foreach (var token in tenants)
            {
                using var http = As(migrated, token);
                foreach (var (path, _, _) in Kinds)
                    Assert.Equal(before[(token, path)], await UidsAsync(http, path));
                var tokenArgs = token is null ? "" : $" --token {token}";
                var all = await kubectl.OkAsync($"get configmaps,secrets,serviceaccounts,leases -n default -o name{tokenArgs}");
                var lines = all.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(300, lines.Count(l => l.StartsWith("configmap/obj-", StringComparison.Ordinal)));
                Assert.Equal(200, lines.Count(l => l.StartsWith("secret/obj-", StringComparison.Ordinal)));
                Assert.Equal(100, lines.Count(l => l.StartsWith("serviceaccount/obj-", StringComparison.Ordinal)));
                Assert.Equal(100, lines.Count(l => l.StartsWith("lease.coordination.k8s.io/obj-", StringComparison.Ordinal)));
            }
        }
    }

    [Fact]
    public async Task Migrate_WithAnUnknownSchemeOrMissingFlag_IsAOneLineError()
    {
        var r = await ServerCommand.RunAsync("migrate", "--from", "nosuch://x", "--to", "sqlite://");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("unknown scheme 'nosuch'", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
        var missing = await ServerCommand.RunAsync("migrate", "--from", "sqlite://");
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("--to is required", missing.StdErr);
    }
}
