using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit.Sdk;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>ConfigMap writes and reads over the real HTTPS API, returning the resourceVersion the server acknowledged.</summary>
public sealed class ConfigMapApi(HttpClient http, string ns)
{
    public string Namespace => ns;
    public string Collection => $"/api/v1/namespaces/{ns}/configmaps";

    /// <summary>A client for long-lived streams: HttpClient.Timeout would otherwise cut a watch; tests bound time themselves.</summary>
    public static HttpClient StreamingClient(ServerProcess server)
    {
        var c = server.CreateClient();
        c.Timeout = Timeout.InfiniteTimeSpan;
        return c;
    }

    public static async Task<ConfigMapApi> InNewNamespaceAsync(HttpClient http, string prefix)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        using var res = await http.PostAsync("/api/v1/namespaces", Json(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = ns },
        }));
        await EnsureAsync(res, HttpStatusCode.Created);
        return new ConfigMapApi(http, ns);
    }

    public static JsonObject ConfigMap(string name, IDictionary<string, string>? labels = null, string value = "0")
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            var l = new JsonObject();
            foreach (var (k, v) in labels) l[k] = v;
            meta["labels"] = l;
        }
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = meta,
            ["data"] = new JsonObject { ["v"] = value },
        };
    }

    public async Task<long> CreateAsync(JsonObject body, CancellationToken ct = default)
    {
        using var res = await http.PostAsync(Collection, Json(body), ct);
        return RevisionOf(await EnsureAsync(res, HttpStatusCode.Created));
    }

    /// <summary>A JSON merge patch of the labels and data; returns the new resourceVersion.</summary>
    public async Task<long> PatchAsync(string name, JsonObject patch, CancellationToken ct = default)
    {
        using var req = new HttpRequestMessage(HttpMethod.Patch, $"{Collection}/{name}")
        {
            Content = new StringContent(patch.ToJsonString(), Encoding.UTF8),
        };
        req.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        using var res = await http.SendAsync(req, ct);
        return RevisionOf(await EnsureAsync(res, HttpStatusCode.OK));
    }

    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        using var res = await http.DeleteAsync($"{Collection}/{name}", ct);
        await EnsureAsync(res, HttpStatusCode.OK);
    }

    public async Task<JsonObject> ListAsync(string query = "", CancellationToken ct = default)
    {
        using var res = await http.GetAsync(Collection + query, ct);
        return await EnsureAsync(res, HttpStatusCode.OK);
    }

    /// <summary>Name → resourceVersion of every ConfigMap in the namespace right now.</summary>
    public async Task<SortedDictionary<string, string>> StateAsync(CancellationToken ct = default)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in (await ListAsync("", ct))["items"]!.AsArray())
            state[(string)item!["metadata"]!["name"]!] = (string)item["metadata"]!["resourceVersion"]!;
        return state;
    }

    public static long RevisionOf(JsonObject obj) => long.Parse((string)obj["metadata"]!["resourceVersion"]!);

    public static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static async Task<JsonObject> EnsureAsync(HttpResponseMessage res, HttpStatusCode expected)
    {
        var text = await res.Content.ReadAsStringAsync();
        if (res.StatusCode != expected)
            throw new XunitException($"{res.RequestMessage?.Method} {res.RequestMessage?.RequestUri} answered {(int)res.StatusCode}, expected {(int)expected}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
