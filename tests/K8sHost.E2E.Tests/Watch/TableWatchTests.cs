using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>Watches in Table form (kubectl get -w): rows are computed when sent, like kube-apiserver's.</summary>
[Collection("kubectl")]
public sealed class TableWatchTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private const string TableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";

    [Fact]
    public async Task TableWatch_StartedLater_ShowsTheCurrentAgeOfUnchangedObjects()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var http = ConfigMapApi.StreamingClient(fx.Server);
        var api = await ConfigMapApi.InNewNamespaceAsync(http, "tableage");
        for (var i = 0; i < 3; i++) await api.CreateAsync(ConfigMapApi.ConfigMap($"cm-{i}"), cts.Token);

        // A first table watch encodes the rows of these object versions...
        await using (var early = await WatchStream.OpenAsync(http, api.Collection + "?watch=true", cts.Token, accept: TableAccept))
            Assert.Equal(3, (await ReadRowsAsync(early, cts.Token)).Count);

        // ...a later one must not get those rows back with the age they had then.
        await Task.Delay(TimeSpan.FromSeconds(2.5), cts.Token);
        await using var later = await WatchStream.OpenAsync(http, api.Collection + "?watch=true", cts.Token, accept: TableAccept);
        var ages = await ReadRowsAsync(later, cts.Token);
        Assert.All(ages, a => Assert.True(AgeSeconds(a.Age) >= 2, $"{a.Name} is shown as {a.Age} old"));
    }

    private static async Task<List<(string Name, string Age)>> ReadRowsAsync(WatchStream w, CancellationToken ct)
    {
        var events = await w.ReadUntilAsync(_ => true, ct);
        while (events.Count < 3) events.AddRange(await w.ReadUntilAsync(_ => true, ct));
        // Only the first event of a table watch carries the column definitions.
        var columns = events[0].Raw["object"]!["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!).ToList();
        var name = columns.IndexOf("Name");
        var age = columns.IndexOf("Age");
        Assert.True(name >= 0 && age >= 0, "Name and Age columns");
        return [.. events.Select(e =>
        {
            var cells = e.Raw["object"]!["rows"]![0]!["cells"]!.AsArray();
            return ((string)cells[name]!, (string)cells[age]!);
        })];
    }

    // "5s" → 5; anything in minutes or more is old enough for this test.
    private static int AgeSeconds(string age) =>
        age.EndsWith('s') && int.TryParse(age[..^1], out var s) ? s : int.MaxValue;
}
