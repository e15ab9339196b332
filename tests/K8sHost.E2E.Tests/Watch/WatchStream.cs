using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Xunit.Sdk;

namespace K8sHost.E2E.Tests.Watch;

/// <summary>One watch event as the tests compare it: type, object name and resourceVersion.</summary>
public sealed record SeenEvent(string Type, string Name, long ResourceVersion, JsonObject Raw)
{
    public static SeenEvent From(JsonObject ev)
    {
        var obj = ev["object"]?.AsObject();
        var meta = obj?["metadata"]?.AsObject();
        var rv = meta?["resourceVersion"]?.GetValue<string>();
        return new SeenEvent((string)ev["type"]!, (string?)meta?["name"] ?? "", rv is null ? 0 : long.Parse(rv), ev);
    }

    /// <summary>What two watchers must agree on (the raw JSON may legitimately differ in nothing, but is not compared).</summary>
    public (string, string, long) Key => (Type, Name, ResourceVersion);

    public string? Label(string name) => (string?)Raw["object"]?["metadata"]?["labels"]?[name];
}

/// <summary>
/// A real HTTP watch: the response is taken at its headers (ResponseHeadersRead) and read line by line by a background
/// pump into a channel, so the test can wait for events with a deadline and drop the connection at any point.
/// </summary>
public sealed class WatchStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<SeenEvent> _events = Channel.CreateUnbounded<SeenEvent>(new() { SingleReader = true });
    private Task? _pump;

    private WatchStream(HttpResponseMessage response, bool paused)
    {
        _response = response;
        if (!paused) StartReading();
    }

    /// <summary>Starts reading the body (a watch opened paused is a client that stopped reading).</summary>
    public void StartReading() => _pump ??= Task.Run(PumpAsync);

    /// <summary>
    /// Opens the watch; returns once the server answered 200 (the watch is registered by then). HTTP/2 (what kubectl
    /// negotiates) multiplexes every such watch of one HttpClient on one connection.
    /// </summary>
    public static async Task<WatchStream> OpenAsync(HttpClient http, string url, CancellationToken ct, bool http2 = false, bool paused = false,
        string? accept = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) req.Headers.Accept.ParseAdd(accept);
        if (http2)
        {
            req.Version = HttpVersion.Version20;
            req.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }
        var res = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ct);
        if (res.StatusCode != HttpStatusCode.OK)
        {
            var body = await res.Content.ReadAsStringAsync(ct);
            res.Dispose();
            throw new XunitException($"watch {url} answered {(int)res.StatusCode}: {body}");
        }
        return new WatchStream(res, paused);
    }

    private async Task PumpAsync()
    {
        Exception? failure = null;
        try
        {
            await using var body = await _response.Content.ReadAsStreamAsync(_stop.Token);
            using var reader = new StreamReader(body);
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0) continue;
                _events.Writer.TryWrite(SeenEvent.From(JsonNode.Parse(line)!.AsObject()));
            }
        }
        catch (Exception e) when (_stop.IsCancellationRequested && e is OperationCanceledException or IOException or HttpRequestException or ObjectDisposedException)
        {
            // We dropped the connection ourselves.
        }
        catch (Exception e)
        {
            failure = e;
        }
        _events.Writer.TryComplete(failure);
    }

    /// <summary>The next event, or null once the server ended the stream.</summary>
    public async Task<SeenEvent?> NextAsync(CancellationToken ct)
    {
        while (await _events.Reader.WaitToReadAsync(ct))
            if (_events.Reader.TryRead(out var ev)) return ev;
        return null;
    }

    /// <summary>Every event until the server ends the stream.</summary>
    public async Task<List<SeenEvent>> ReadToEndAsync(CancellationToken ct)
    {
        var seen = new List<SeenEvent>();
        while (await NextAsync(ct) is { } ev) seen.Add(ev);
        return seen;
    }

    /// <summary>
    /// Every event until the server ends the stream or cuts the connection (as it does to a watcher that fell behind:
    /// whatever sat unread in the socket is lost with it, and the client re-watches from the last event it saw).
    /// </summary>
    public async Task<List<SeenEvent>> ReadUntilClosedAsync(CancellationToken ct)
    {
        var seen = new List<SeenEvent>();
        try
        {
            while (await NextAsync(ct) is { } ev) seen.Add(ev);
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !ct.IsCancellationRequested)
        {
            // The connection was cut: what arrived before it is still a valid prefix.
        }
        return seen;
    }

    /// <summary>Every event up to and including the first one <paramref name="last"/> accepts; fails if the stream ends first.</summary>
    public async Task<List<SeenEvent>> ReadUntilAsync(Func<SeenEvent, bool> last, CancellationToken ct)
    {
        var seen = new List<SeenEvent>();
        while (true)
        {
            var ev = await NextAsync(ct) ?? throw new XunitException($"the watch ended after {seen.Count} events before the expected one");
            seen.Add(ev);
            if (last(ev)) return seen;
        }
    }

    /// <summary>Drops the connection, as a client whose network broke would.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _response.Dispose();
        if (_pump is not null)
            try { await _pump.WaitAsync(TimeSpan.FromSeconds(5)); } catch (TimeoutException) { }
        _stop.Dispose();
    }
}
