using System.Text.Json.Nodes;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>One acknowledged write: the verb, the object's name, its color label after the write, the resourceVersion (0 for deletes).</summary>
public sealed record AckedWrite(string Verb, string Name, string? Color, long ResourceVersion);

/// <summary>
/// Concurrent writers of creates, label-flipping updates and deletes. Each writer owns its names (no conflicts), so
/// every write it issues is acknowledged and must show up in every watch exactly once.
/// </summary>
public static class MixedWrites
{
    public const string Red = "red";
    public const string Blue = "blue";

    public static async Task<List<AckedWrite>> RunAsync(ConfigMapApi api, int writers, int writesPerWriter, string namePrefix,
        CancellationToken ct, Action? afterEachWrite = null)
    {
        var tasks = Enumerable.Range(0, writers).Select(w => Task.Run(() => WriterAsync(api, w, writesPerWriter, namePrefix, ct, afterEachWrite), ct));
        var all = new List<AckedWrite>();
        foreach (var acks in await Task.WhenAll(tasks)) all.AddRange(acks);
        return all;
    }

    private static async Task<List<AckedWrite>> WriterAsync(ConfigMapApi api, int writer, int count, string namePrefix,
        CancellationToken ct, Action? afterEachWrite)
    {
        var random = new Random(writer * 7919 + count); // deterministic mix per writer
        var live = new List<string>();
        var acks = new List<AckedWrite>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            var color = random.Next(2) == 0 ? Red : Blue;
            if (live.Count < 3 || roll < 0.45)
            {
                var name = $"{namePrefix}-w{writer}-{i}";
                var rv = await api.CreateAsync(ConfigMapApi.ConfigMap(name, new Dictionary<string, string> { ["color"] = color }), ct);
                live.Add(name);
                acks.Add(new AckedWrite("create", name, color, rv));
            }
            else if (roll < 0.8)
            {
                var name = live[random.Next(live.Count)];
                // Data changes on every update, so each one is a real change with its own revision.
                var patch = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["color"] = color } },
                    ["data"] = new JsonObject { ["v"] = i.ToString() },
                };
                var rv = await api.PatchAsync(name, patch, ct);
                acks.Add(new AckedWrite("update", name, color, rv));
            }
            else
            {
                var at = random.Next(live.Count);
                var name = live[at];
                live.RemoveAt(at);
                await api.DeleteAsync(name, ct);
                acks.Add(new AckedWrite("delete", name, null, 0));
            }
            afterEachWrite?.Invoke();
        }
        return acks;
    }
}
