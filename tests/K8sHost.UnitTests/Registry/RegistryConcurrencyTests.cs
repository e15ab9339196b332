using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryConcurrencyTests
{
    [Fact]
    public async Task ConcurrentIncrementsWithPreconditions_FinalValueEqualsSuccesses_FailuresAre409()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("counter", data: """{"n":"0"}""");
        var successes = 0;
        var otherFailures = new List<string>();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var current = await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "counter", new GetOptions(), Ct);
                var obj = current.Json();
                obj["data"]!["n"] = (int.Parse(obj["data"]!["n"]!.GetValue<string>()) + 1).ToString();
                try
                {
                    await h.Registry.UpdateAsync(h.Rc, TestKinds.ConfigMaps, "default", "counter", null, obj, new WriteOptions(), Ct);
                    Interlocked.Increment(ref successes);
                }
                catch (ApiError e) when (e.Code == 409) { }
                catch (Exception e) { lock (otherFailures) otherFailures.Add(e.Message); }
            }
        })));
        Assert.Empty(otherFailures);
        var final = await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "counter", new GetOptions(), Ct);
        Assert.Equal(successes.ToString(), final.At("data", "n"));
        Assert.True(successes > 0);
    }

    [Fact]
    public async Task ConcurrentMergePatchesWithoutPrecondition_AllApply()
    {
        await using var h = await StartAsync();
        await h.CreateConfigMapAsync("bag");
        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            h.Registry.PatchAsync(h.Rc, TestKinds.ConfigMaps, "default", "bag", null,
                Patch(PatchType.Merge, "{\"data\":{\"k" + i + "\":\"v\"}}"), new WriteOptions(), Ct))));
        var final = await h.Registry.GetAsync(h.Rc, TestKinds.ConfigMaps, "default", "bag", new GetOptions(), Ct);
        Assert.Equal(10, final.Json()["data"]!.AsObject().Count);
    }
}
