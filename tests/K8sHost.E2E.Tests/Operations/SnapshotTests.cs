using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using K8sHost.E2E.Tests.Backends;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Operations;

/// <summary>`snapshot save|restore|info` against a real server process that keeps taking writes.</summary>
[Collection("kubectl")]
public sealed partial class SnapshotTests
{
    [GeneratedRegex(@"revision (\d+)")]
    private static partial Regex RevisionLine();

    [Fact]
    public async Task Snapshot_SavedUnderConcurrentWrites_RestoresEveryObjectAcknowledgedUpToItsRevisionAndNothingAfter()
    {
        var work = Directory.CreateTempSubdirectory("snapshot-e2e-").FullName;
        var file = Path.Combine(work, "cluster.snap");
        var acknowledged = new ConcurrentDictionary<string, long>();
        long revision;
        await using (var server = new ServerProcess())
        {
            await server.StartAsync();
            using var http = BackendHttp.Client(server);
            await BackendHttp.CreateNamespaceAsync(http, "snap");
            using var stop = new CancellationTokenSource();
            var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var created = await BackendHttp.CreateConfigMapAsync(http, "snap", $"w{w}-{i}");
                    acknowledged[$"w{w}-{i}"] = BackendHttp.ResourceVersion(created);
                }
            })).ToArray();
            while (acknowledged.Count < 100) await Task.Delay(20);

            var saved = await ServerCommand.OkAsync("snapshot", "save", file, "--data-dir", server.DataDir);
            revision = long.Parse(RevisionLine().Match(saved.StdOut).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var atSave = acknowledged.Count;
            while (acknowledged.Count < atSave + 50) await Task.Delay(20);
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        Assert.Contains(acknowledged.Values, rv => rv > revision);

        var info = await ServerCommand.OkAsync("snapshot", "info", file);
        Assert.Contains($"revision:        {revision}", info.StdOut);
        Assert.Contains("(verified)", info.StdOut);

        var restoredDir = Path.Combine(work, "restored");
        var restore = await ServerCommand.OkAsync("snapshot", "restore", file, "--data-dir", restoredDir);
        Assert.Contains($"Restored revision {revision}", restore.StdOut);
        await using var restored = new ServerProcess(restoredDir);
        await restored.StartAsync();
        using var client = BackendHttp.Client(restored);
        var names = BackendHttp.Names(await BackendHttp.GetJsonAsync(client, "/api/v1/namespaces/snap/configmaps")).ToHashSet();
        var expected = acknowledged.Where(a => a.Value <= revision).Select(a => a.Key).ToHashSet();
        Assert.True(expected.SetEquals(names),
            $"restored {names.Count} objects, expected the {expected.Count} acknowledged at or before revision {revision}; " +
            $"missing: {string.Join(",", expected.Except(names).Take(5))} extra: {string.Join(",", names.Except(expected).Take(5))}");
        // A write after restore continues from the snapshot's revision, never reusing one.
        var next = await BackendHttp.CreateConfigMapAsync(client, "snap", "after-restore");
        Assert.True(BackendHttp.ResourceVersion(next) > revision);
    }

    [Fact]
    public async Task Snapshot_CorruptTruncatedOrOverARunningServer_IsRefusedWithAClearMessageAndNothingIsOverwritten()
    {
        var work = Directory.CreateTempSubdirectory("snapshot-bad-").FullName;
        var file = Path.Combine(work, "good.snap");
        await using var server = new ServerProcess();
        await server.StartAsync();
        using var http = BackendHttp.Client(server);
        for (var i = 0; i < 20; i++) await BackendHttp.CreateConfigMapAsync(http, "default", $"c{i}");
        await ServerCommand.OkAsync("snapshot", "save", file, "--data-dir", server.DataDir);
        var bytes = await File.ReadAllBytesAsync(file);
        var truncated = Path.Combine(work, "truncated.snap");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var corrupt = Path.Combine(work, "corrupt.snap");
        var flipped = (byte[])bytes.Clone();
        flipped[^100] ^= 0x01;
        await File.WriteAllBytesAsync(corrupt, flipped);

        var fresh = Path.Combine(work, "fresh");
        var t = await ServerCommand.RunAsync("snapshot", "restore", truncated, "--data-dir", fresh);
        Assert.Equal(1, t.ExitCode);
        Assert.Contains("is truncated", t.StdErr);
        var c = await ServerCommand.RunAsync("snapshot", "restore", corrupt, "--data-dir", fresh);
        Assert.Equal(1, c.ExitCode);
        Assert.Contains("is corrupt: its SHA-256 does not match", c.StdErr);
        Assert.False(File.Exists(Path.Combine(fresh, "state.db")));
        Assert.Equal(1, (await ServerCommand.RunAsync("snapshot", "info", truncated)).ExitCode);

        // The running server's store: refused without --force, refused with it (in use), and its objects stay.
        var db = Path.Combine(server.DataDir, "state.db");
        var noForce = await ServerCommand.RunAsync("snapshot", "restore", file, "--data-dir", server.DataDir);
        Assert.Equal(1, noForce.ExitCode);
        Assert.Contains("already exists", noForce.StdErr);
        var inUse = await ServerCommand.RunAsync("snapshot", "restore", file, "--data-dir", server.DataDir, "--force");
        Assert.Equal(1, inUse.ExitCode);
        Assert.Contains("in use by a running server", inUse.StdErr);
        var bad = await ServerCommand.RunAsync("snapshot", "restore", corrupt, "--data-dir", server.DataDir, "--force");
        Assert.Equal(1, bad.ExitCode);
        await BackendHttp.CreateConfigMapAsync(http, "default", "still-writable");
        Assert.Equal(21, BackendHttp.Names(await BackendHttp.GetJsonAsync(http, "/api/v1/namespaces/default/configmaps")).Count);

        // Stopped: a corrupt file still changes nothing; --force with a good one replaces the store.
        await server.TerminateAsync(TimeSpan.FromSeconds(20));
        var hash = SHA256.HashData(await File.ReadAllBytesAsync(db));
        Assert.Equal(1, (await ServerCommand.RunAsync("snapshot", "restore", corrupt, "--data-dir", server.DataDir, "--force")).ExitCode);
        Assert.Equal(hash, SHA256.HashData(await File.ReadAllBytesAsync(db)));
        await ServerCommand.OkAsync("snapshot", "restore", file, "--data-dir", server.DataDir, "--force");
        await server.StartAsync();
        using var again = BackendHttp.Client(server);
        var names = BackendHttp.Names(await BackendHttp.GetJsonAsync(again, "/api/v1/namespaces/default/configmaps"));
        Assert.Equal(20, names.Count);
        Assert.DoesNotContain("still-writable", names);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetAsync("/api/v1/namespaces/default/configmaps/still-writable")).StatusCode);
    }

    [Fact]
    public async Task Defrag_OnAStoppedServersDataDir_ReportsDatabaseAndWalSizesBeforeAndAfter()
    {
        await using var server = new ServerProcess();
        await server.StartAsync();
        using (var http = BackendHttp.Client(server))
            for (var i = 0; i < 20; i++) await BackendHttp.CreateConfigMapAsync(http, "default", $"c{i}");
        var busy = await ServerCommand.RunAsync("defrag", "--data-dir", server.DataDir);
        Assert.Equal(1, busy.ExitCode);
        Assert.Contains("in use", busy.StdErr);
        await server.TerminateAsync(TimeSpan.FromSeconds(20));
        var r = await ServerCommand.OkAsync("defrag", "--data-dir", server.DataDir);
        Assert.Matches(@"before: database \d+ bytes, WAL \d+ bytes", r.StdOut);
        Assert.Matches(@"after:  database \d+ bytes, WAL 0 bytes", r.StdOut);
        await server.StartAsync();
        using var again = BackendHttp.Client(server);
        Assert.Equal(20, BackendHttp.Names(await BackendHttp.GetJsonAsync(again, "/api/v1/namespaces/default/configmaps")).Count);
    }
}
