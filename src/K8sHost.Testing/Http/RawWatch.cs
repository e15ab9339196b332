using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace K8sHost.Testing.Http;

/// <summary>One line of a watch stream: the event type, the object as JSON text, and its resourceVersion.</summary>
internal sealed record RawWatchEvent(string Type, string ObjectJson, string? ResourceVersion, int? StatusCode);

/// <summary>
/// Lists and watches over plain HTTP, as client-go's reflector does: list for a resourceVersion, watch from it, resume
/// after a stream ends, re-list after 410 Gone. The helpers build on it, so they behave like a well-written controller.
/// </summary>
internal static class RawWatch
{
    public static async Task<(List<string> Items, string ResourceVersion)> ListAsync(HttpClient http, string collection, string query, CancellationToken ct)
    {
        using var res = await http.GetAsync(collection + "?" + query, ct);
        var body = await res.Content.ReadAsStringAsync(ct);
        if (!res.IsSuccessStatusCode) throw StatusError.From(res.StatusCode, body, "GET " + collection);
        using var doc = JsonDocument.Parse(body);
        var items = new List<string>();
        if (doc.RootElement.TryGetProperty("items", out var arr) && arr.ValueKind == JsonValueKind.Array)
            foreach (var item in arr.EnumerateArray()) items.Add(item.GetRawText());
        var rv = doc.RootElement.GetProperty("metadata").TryGetProperty("resourceVersion", out var r) ? r.GetString() ?? "" : "";
        return (items, rv);
    }

    /// <summary>Streams events of one watch request until the server ends it (or <paramref name="ct"/> fires).</summary>
    public static async IAsyncEnumerable<RawWatchEvent> StreamAsync(HttpClient http, string collection, string query, string resourceVersion,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var url = $"{collection}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}"
            + (query.Length > 0 ? "&" + query : "");
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        using var res = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!res.IsSuccessStatusCode)
        {
            var body = await res.Content.ReadAsStringAsync(ct);
            if (res.StatusCode == HttpStatusCode.Gone) { yield return new RawWatchEvent("ERROR", body, null, 410); yield break; }
            throw StatusError.From(res.StatusCode, body, "watch " + collection);
        }
        await using var stream = await res.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream);
        while (true)
        {
            string? line;
            try { line = await reader.ReadLineAsync(ct); }
            catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested) { yield break; } // cut stream: resume
            if (line is null) yield break;
            if (line.Length == 0) continue;
            yield return Parse(line);
        }
    }

    private static RawWatchEvent Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString() ?? "";
        var obj = doc.RootElement.GetProperty("object");
        string? rv = null;
        int? code = null;
        if (obj.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty("resourceVersion", out var r) && r.ValueKind == JsonValueKind.String)
            rv = r.GetString();
        if (type == "ERROR" && obj.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number) code = c.GetInt32();
        return new RawWatchEvent(type, obj.GetRawText(), rv, code);
    }
}

internal static class StatusError
{
    public static TestApiServerRequestException From(HttpStatusCode code, string body, string what)
    {
        string? reason = null, message = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("reason", out var r)) reason = r.GetString();
            if (doc.RootElement.TryGetProperty("message", out var m)) message = m.GetString();
        }
        catch (JsonException) { }
        return new TestApiServerRequestException(code, reason, $"{what}: {(int)code} {reason}: {message ?? body}");
    }
}
