using Prometheus;

namespace K8sHost.Api.Metrics;

/// <summary>
/// The server's Prometheus registry and every metric it exports, named, labelled and bucketed as kube-apiserver does
/// (k8s.io/apiserver endpoints/metrics and storage/etcd3/metrics), so existing dashboards and alerts work unchanged.
/// One registry per server instance: two hosts in one test process never share counters.
/// </summary>
public sealed class ApiMetrics
{
    /// <summary>kube-apiserver's request latency buckets (seconds).</summary>
    public static readonly double[] RequestDurationBuckets =
        [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];

    /// <summary>Response sizes: 1 KB … 10 GB, ten-fold steps, as upstream.</summary>
    public static readonly double[] ResponseSizeBuckets = Histogram.ExponentialBuckets(1000, 10, 8);

    /// <summary>Watch event sizes: 1 KiB … 128 KiB, doubling, as upstream.</summary>
    public static readonly double[] WatchEventSizeBuckets = Histogram.ExponentialBuckets(1024, 2, 8);

    /// <summary>Storage call latency buckets of etcd_request_duration_seconds.</summary>
    public static readonly double[] StorageDurationBuckets = RequestDurationBuckets;

    public const string TenantLabel = "tenant";

    private static readonly string[] RequestLabels = ["verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component"];
    private static readonly string[] SizeLabels = ["verb", "group", "version", "resource", "subresource", "scope", "component"];

    public ApiMetrics(bool tenantLabels = false)
    {
        TenantLabels = tenantLabels;
        Registry = global::Prometheus.Metrics.NewCustomRegistry();
        // process_cpu_seconds_total, process_start_time_seconds, dotnet_collection_count_total, … (prometheus-net's set).
        DotNetStats.Register(Registry);
        var f = global::Prometheus.Metrics.WithCustomRegistry(Registry);
        string[] T(string[] labels) => tenantLabels ? [.. labels, TenantLabel] : labels;

        RequestTotal = f.CreateCounter("apiserver_request_total",
            "Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
            T([.. RequestLabels, "code"]));
        RequestDuration = f.CreateHistogram("apiserver_request_duration_seconds",
            "Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.",
            new HistogramConfiguration { LabelNames = T(RequestLabels), Buckets = RequestDurationBuckets });
        ResponseSizes = f.CreateHistogram("apiserver_response_sizes",
            "Response size distribution in bytes for each group, version, verb, resource, subresource, scope and component.",
            new HistogramConfiguration { LabelNames = T(SizeLabels), Buckets = ResponseSizeBuckets });
        InflightRequests = f.CreateGauge("apiserver_current_inflight_requests",
            "Maximal number of currently used inflight request limit of this apiserver per request kind in last second.",
            "request_kind");
        ReadOnlyInflight = InflightRequests.WithLabels("readOnly");
        MutatingInflight = InflightRequests.WithLabels("mutating");
        LongRunning = f.CreateGauge("apiserver_longrunning_requests",
            "Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component. Not all requests are tracked this way.",
            SizeLabels);
        RegisteredWatchers = f.CreateGauge("apiserver_registered_watchers",
            "Number of currently registered watchers for a given resources", "group", "version", "kind");
        WatchEvents = f.CreateCounter("apiserver_watch_events_total",
            "Number of events sent in watch clients", "group", "version", "kind");
        WatchEventSizes = f.CreateHistogram("apiserver_watch_events_sizes", "Watch event size distribution in bytes",
            new HistogramConfiguration { LabelNames = ["group", "version", "kind"], Buckets = WatchEventSizeBuckets });
        StorageObjects = f.CreateGauge("apiserver_storage_objects",
            "Number of stored objects at the time of last check split by kind.", T(["resource"]));
        StorageRequestDuration = f.CreateHistogram("etcd_request_duration_seconds",
            "Etcd request latency in seconds for each operation and object type.",
            new HistogramConfiguration { LabelNames = ["operation", "type"], Buckets = StorageDurationBuckets });
        StorageRequests = f.CreateCounter("etcd_requests_total",
            "Etcd request counts for each operation and object type.", "operation", "type");
        StorageRevision = f.CreateGauge("apiserver_storage_revision",
            "The newest revision the storage backend has committed, as seen by the watch cache.");
        ResidentMemory = f.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        GcHeapSize = f.CreateGauge("dotnet_gc_heap_size_bytes", "Bytes in the managed heap after the last garbage collection.");
        ThreadPoolQueue = f.CreateGauge("dotnet_threadpool_queue_length", "Work items queued to the .NET thread pool.");
        ThreadPoolThreads = f.CreateGauge("dotnet_threadpool_threads_count", "Threads currently in the .NET thread pool.");
        Registry.AddBeforeCollectCallback(SampleRuntime);
    }

    public bool TenantLabels { get; }

    public CollectorRegistry Registry { get; }

    public Counter RequestTotal { get; }
    public Histogram RequestDuration { get; }
    public Histogram ResponseSizes { get; }
    public Gauge InflightRequests { get; }
    public Gauge.Child ReadOnlyInflight { get; }
    public Gauge.Child MutatingInflight { get; }
    public Gauge LongRunning { get; }
    public Gauge RegisteredWatchers { get; }
    public Counter WatchEvents { get; }
    public Histogram WatchEventSizes { get; }
    public Gauge StorageObjects { get; }
    public Histogram StorageRequestDuration { get; }
    public Counter StorageRequests { get; }
    public Gauge StorageRevision { get; }
    public Gauge ResidentMemory { get; }
    public Gauge GcHeapSize { get; }
    public Gauge ThreadPoolQueue { get; }
    public Gauge ThreadPoolThreads { get; }

    // Sampled at scrape time: cheap reads, and nothing runs between scrapes.
    private void SampleRuntime()
    {
        using (var process = System.Diagnostics.Process.GetCurrentProcess())
            ResidentMemory.Set(process.WorkingSet64); // on Linux this is the RSS from /proc/self/statm
        GcHeapSize.Set(GC.GetGCMemoryInfo().HeapSizeBytes);
        ThreadPoolQueue.Set(ThreadPool.PendingWorkItemCount);
        ThreadPoolThreads.Set(ThreadPool.ThreadCount);
    }
}
