using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace K8sHost.Bench.Server;

/// <summary>Typed-enough helpers over raw HTTP for the pod calls the phases make (no SDK: its CPU would skew the client).</summary>
public sealed class ApiSession : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public ApiSession(ServerUnderTest server, int connections)
    {
        Server = server;
        Client = BenchHttp.Create(server.BaseAddress, server.LoadCa(), connections, server.Token);
    }

    public ServerUnderTest Server { get; }
    public HttpClient Client { get; }
    /// <summary>Pods this session created successfully (all phases), so the RSS fill knows how many remain.</summary>
    public long PodsCreated;

    public static string PodsPath(string ns) => $"/api/v1/namespaces/{ns}/pods";

    public static StringContent Body(string json) => new(json, Encoding.UTF8, Json.MediaType!);

    public async Task EnsureNamespaceAsync(string ns, CancellationToken ct)
    {
        using var r = await Client.PostAsync("/api/v1/namespaces", Body("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}"), ct);
        if (!r.IsSuccessStatusCode && (int)r.StatusCode != 409)
            throw new InvalidOperationException($"create namespace {ns}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
    }

    /// <summary>Creates a pod; null on success, else the error line.</summary>
    public async Task<string?> CreatePodAsync(string ns, string name, CancellationToken ct)
    {
        var error = await BenchHttp.CheckAsync(await Client.PostAsync(PodsPath(ns), Body(PodJson.Create(ns, name)), ct), ct);
        if (error is null) Interlocked.Increment(ref PodsCreated);
        return error;
    }

    /// <summary>Creates a pod and returns its resourceVersion (throws on failure: used in setup, not in timed loops).</summary>
    public async Task<string> CreatePodForUpdatesAsync(string ns, string name, CancellationToken ct)
    {
        using var r = await Client.PostAsync(PodsPath(ns), Body(PodJson.Create(ns, name)), ct);
        var body = await r.Content.ReadAsByteArrayAsync(ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"create pod {ns}/{name}: {(int)r.StatusCode} {Encoding.UTF8.GetString(body)}");
        Interlocked.Increment(ref PodsCreated);
        return ResourceVersionOf(body);
    }

    /// <summary>PUT with the resourceVersion precondition; returns the new resourceVersion or an error.</summary>
    public async Task<(string? Rv, string? Error)> UpdatePodAsync(string ns, string name, string rv, long stampTicks, CancellationToken ct)
    {
        using var r = await Client.PutAsync($"{PodsPath(ns)}/{name}", Body(PodJson.Update(ns, name, rv, stampTicks)), ct);
        var body = await r.Content.ReadAsByteArrayAsync(ct);
        if (!r.IsSuccessStatusCode)
        {
            var text = Encoding.UTF8.GetString(body);
            return (null, $"{(int)r.StatusCode}: {(text.Length > 200 ? text[..200] : text)}");
        }
        return (ResourceVersionOf(body), null);
    }

    /// <summary>The list's resourceVersion (a watch started there sees only later changes).</summary>
    public async Task<string> ListResourceVersionAsync(string ns, CancellationToken ct)
    {
        using var r = await Client.GetAsync($"{PodsPath(ns)}?limit=1", ct);
        var body = await r.Content.ReadAsByteArrayAsync(ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"list {ns}: {(int)r.StatusCode} {Encoding.UTF8.GetString(body)}");
        return ResourceVersionOf(body);
    }

    public static string ResourceVersionOf(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString()
               ?? throw new InvalidOperationException("response has no metadata.resourceVersion");
    }

    public void Dispose() => Client.Dispose();
}
