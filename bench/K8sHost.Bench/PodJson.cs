using System.Text;

namespace K8sHost.Bench;

/// <summary>
/// A ~2 KiB pod, built once as text with placeholders so hot loops only do string replacement (client CPU counts on
/// 2 cores). The send-time stamp travels in an annotation so watchers can compute delivery latency.
/// </summary>
public static class PodJson
{
    public const string StampAnnotation = "bench.k8shost.io/sent-at";
    public static readonly byte[] StampMarker = Encoding.UTF8.GetBytes($"\"{StampAnnotation}\":\"");

    private const string Template = """
{"apiVersion":"v1","kind":"Pod","metadata":{"name":"@NAME@","namespace":"@NS@",@RV@"labels":{"app":"bench","tier":"backend","release":"stable","bench.k8shost.io/run":"r1"},"annotations":{"@STAMP_KEY@":"@STAMP@","bench.k8shost.io/padding":"@PAD@"}},"spec":{"restartPolicy":"Always","terminationGracePeriodSeconds":30,"containers":[{"name":"app","image":"registry.example.com/team/app:1.2.3","imagePullPolicy":"IfNotPresent","args":["--listen=:8080","--log-level=info","--metrics"],"ports":[{"name":"http","containerPort":8080,"protocol":"TCP"},{"name":"metrics","containerPort":9090,"protocol":"TCP"}],"env":[{"name":"MODE","value":"production"},{"name":"REGION","value":"eu-west-1"},{"name":"CACHE_SIZE","value":"256"},{"name":"FEATURE_FLAGS","value":"alpha,beta,gamma"}],"resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}}}]}}
""";

    private static readonly string Padding = new('x', 1100);

    /// <summary>Create body (no resourceVersion).</summary>
    public static string Create(string ns, string name, long stampTicks = 0) => Build(ns, name, null, stampTicks);

    /// <summary>Update body carrying the resourceVersion precondition.</summary>
    public static string Update(string ns, string name, string resourceVersion, long stampTicks) => Build(ns, name, resourceVersion, stampTicks);

    /// <summary>What the server would return for a GET of the pod (used by the bare-Kestrel ceiling).</summary>
    public static byte[] ServedBytes(string ns, string name) => Encoding.UTF8.GetBytes(
        Build(ns, name, "12345", DateTime.UtcNow.Ticks)
            .Replace("\"namespace\":", "\"uid\":\"0d5c1f1e-6a1b-4c52-9f8b-1c2d3e4f5a6b\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\",\"namespace\":", StringComparison.Ordinal)
            .TrimEnd('}') + "},\"status\":{\"phase\":\"Pending\",\"qosClass\":\"Burstable\"}}");

    /// <summary>A watch event line as the API sends it.</summary>
    public static byte[] WatchLine(string ns, string name, string resourceVersion, long stampTicks) =>
        Encoding.UTF8.GetBytes("{\"type\":\"MODIFIED\",\"object\":" + Build(ns, name, resourceVersion, stampTicks) + "}\n");

    private static string Build(string ns, string name, string? rv, long stamp) => Template
        .Replace("@NAME@", name, StringComparison.Ordinal)
        .Replace("@NS@", ns, StringComparison.Ordinal)
        .Replace("@RV@", rv is null ? "" : $"\"resourceVersion\":\"{rv}\",", StringComparison.Ordinal)
        .Replace("@STAMP_KEY@", StampAnnotation, StringComparison.Ordinal)
        .Replace("@STAMP@", stamp.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("@PAD@", Padding, StringComparison.Ordinal)
        .Trim();
}
