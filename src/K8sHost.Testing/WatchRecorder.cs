using k8s;
using k8s.Models;
using K8sHost.Testing.Http;

namespace K8sHost.Testing;

/// <summary>One event a <see cref="WatchRecorder{T}"/> saw.</summary>
public sealed record RecordedEvent<T>(WatchEventType Type, T Object);

/// <summary>
/// Records the watch events of one kind from the moment it was started, resuming across server-closed streams (as a
/// controller's informer does), until disposed. Start one with <see cref="TestApiServer.RecordEventsAsync{T}"/>.
/// </summary>
public sealed class WatchRecorder<T> : IAsyncDisposable where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly List<RecordedEvent<T>> _events = [];
    private readonly CancellationTokenSource _stop;
    private readonly Task _loop;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;

    internal WatchRecorder(HttpClient http, string collection, string query, string resourceVersion, CancellationToken serverStopping)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        _loop = Task.Run(() => RunAsync(http, collection, query, resourceVersion, _stop.Token));
    }

    /// <summary>The events so far, in the order the server sent them (bookmarks excluded).</summary>
    public IReadOnlyList<RecordedEvent<T>> Events
    {
        get { lock (_events) return [.. _events]; }
    }

    /// <summary>How many times the recorder had to re-open its watch because the server ended the stream.</summary>
    public int Resumes { get; private set; }

    /// <summary>Waits until the events so far satisfy <paramref name="condition"/>; returns them. TimeoutException after the timeout (default 10 s).</summary>
    public async Task<IReadOnlyList<RecordedEvent<T>>> WaitForAsync(Func<IReadOnlyList<RecordedEvent<T>>, bool> condition, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        while (true)
        {
            var signal = Volatile.Read(ref _changed);
            var events = Events;
            if (condition(events)) return events;
            if (_failure is { } f) throw new InvalidOperationException("the watch failed: " + f.Message, f);
            try { await signal.Task.WaitAsync(cts.Token); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"the recorded {typeof(T).Name} events did not satisfy the condition within {limit.TotalSeconds:0.#}s; "
                    + $"got {events.Count}: {string.Join(", ", events.Select(e => $"{e.Type} {e.Object.Name()}"))}");
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> events were recorded.</summary>
    public Task<IReadOnlyList<RecordedEvent<T>>> WaitForCountAsync(int count, TimeSpan? timeout = null, CancellationToken ct = default) =>
        WaitForAsync(e => e.Count >= count, timeout, ct);

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        try { await _loop; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private async Task RunAsync(HttpClient http, string collection, string query, string rv, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await foreach (var ev in RawWatch.StreamAsync(http, collection, query, rv, ct))
                {
                    if (ev.ResourceVersion is { } next) rv = next;
                    if (ev.Type == "BOOKMARK") continue;
                    if (ev.Type == "ERROR")
                    {
                        // 410 Gone: events were lost; a recorder cannot pretend otherwise.
                        throw new InvalidOperationException($"the watch was ended with an error (code {ev.StatusCode}): {ev.ObjectJson}");
                    }
                    var type = Enum.Parse<WatchEventType>(ev.Type, ignoreCase: true);
                    lock (_events) _events.Add(new RecordedEvent<T>(type, KubernetesJson.Deserialize<T>(ev.ObjectJson)));
                    Signal();
                }
                if (!ct.IsCancellationRequested) Resumes++;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            _failure = e;
            Signal();
        }
    }

    private void Signal() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
