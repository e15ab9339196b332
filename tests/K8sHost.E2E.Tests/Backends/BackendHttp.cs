using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>Small HTTP helpers for the backend tests: configmap bodies, resourceVersions and bounded watch reads.</summary>
public static class BackendHttp
{
    public static StringContent ConfigMap(string name, string value = "v") =>
        new($"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"{name}\"}},\"data\":{{\"k\":\"{value}\"}}}}",
            Encoding.UTF8, "application/json");

    public static StringContent Namespace(string name) =>
        new($"{{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{{\"name\":\"{name}\"}}}}", Encoding.UTF8, "application/json");

    public static async Task CreateNamespaceAsync(HttpClient http, string name)
    {
        var r = await http.PostAsync("/api/v1/namespaces", Namespace(name));
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"namespace {name}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonNode> CreateConfigMapAsync(HttpClient http, string ns, string name, string value = "v")
    {
        var r = await http.PostAsync($"/api/v1/namespaces/{ns}/configmaps", ConfigMap(name, value));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Created, $"create {ns}/{name}: {(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public static long ResourceVersion(JsonNode obj) =>
        long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<JsonNode> GetJsonAsync(HttpClient http, string path)
    {
        var r = await http.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public static List<string> Names(JsonNode list) =>
        [.. list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];

    /// <summary>A client for the server with a tight overall timeout, so a hung request fails the test quickly.</summary>
    public static HttpClient Client(ServerProcess server, TimeSpan? timeout = null)
    {
        var http = server.CreateClient();
        http.Timeout = timeout ?? TimeSpan.FromSeconds(20);
        return http;
    }
}

/// <summary>A watch stream read line by line, each read bounded in time. Ends (null) at EOF.</summary>
public sealed class WatchReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;
    private readonly System.Diagnostics.Stopwatch _opened = System.Diagnostics.Stopwatch.StartNew();
    private readonly List<string> _trace = [];

    /// <summary>What arrived when (ms since open), for failure messages.</summary>
    public string Trace => string.Join("; ", _trace.TakeLast(12));

    private WatchReader(HttpResponseMessage response, Stream stream)
    {
        _response = response;
        _reader = new StreamReader(stream);
    }

    public static async Task<WatchReader> OpenAsync(HttpClient http, string path)
    {
        var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        // Read the body only on failure: on success it is the (long-lived) event stream.
        if (!response.IsSuccessStatusCode)
            throw new Xunit.Sdk.XunitException($"watch {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return new WatchReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event, null when the stream ended; throws TimeoutException when nothing came in time.</summary>
    public async Task<JsonNode?> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var line = await _reader.ReadLineAsync(cts.Token);
                _trace.Add($"{_opened.ElapsedMilliseconds}ms {(line is null ? "EOF" : line.Length > 60 ? line[..60] : line)}");
                if (line is null) return null;
                if (line.Length > 0) return JsonNode.Parse(line);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no watch event within {timeout}; trace: {Trace}");
        }
    }

    /// <summary>Reads until an event of <paramref name="type"/> for object <paramref name="name"/> arrives (skipping bookmarks and others).</summary>
    public async Task<JsonNode> WaitForAsync(string type, string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var seen = new List<string>();
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"no {type} {name}; trace: {Trace}");
            var ev = await NextAsync(left) ?? throw new Xunit.Sdk.XunitException($"watch ended before {type} {name}; trace: {Trace}");
            var evType = ev["type"]!.GetValue<string>();
            var evName = ev["object"]?["metadata"]?["name"]?.GetValue<string>();
            if (evType == type && evName == name) return ev;
            seen.Add($"{evType} {evName}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
