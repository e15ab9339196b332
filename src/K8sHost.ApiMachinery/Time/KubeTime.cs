using System.Globalization;

namespace K8sHost.ApiMachinery.Time;

/// <summary>metav1.Time on the wire (RFC 3339, UTC, whole seconds) and the AGE column's human durations.</summary>
public static class KubeTime
{
    private static readonly string[] ParseFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>"2026-11-25T08:00:00Z": metav1.Time drops sub-second precision and always writes UTC.</summary>
    public static string Format(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Format(DateTime time) => Format(new DateTimeOffset(time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time));

    /// <summary>metav1.MicroTime: microsecond precision, "2026-11-25T08:00:00.123456Z".</summary>
    public static string FormatMicro(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The current time as metav1.Time would store it (truncated to seconds).</summary>
    public static string Now(TimeProvider? clock = null) => Format((clock ?? TimeProvider.System).GetUtcNow());

    /// <summary>Parses an RFC 3339 timestamp (with "Z" or an offset, optional fraction).</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrEmpty(text) || text.Length < 20) return false;
        // RFC 3339 allows a lower-case 't'/'z'; .NET formats do not, so upper-case them first.
        var normal = text.Replace('t', 'T').Replace('z', 'Z');
        return DateTimeOffset.TryParseExact(normal, ParseFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    /// <summary>
    /// apimachinery's duration.HumanDuration, which kubectl and the server's table convertors use for AGE:
    /// two units at most and coarser as the age grows ("119s", "5m30s", "59m", "3h20m", "47h", "7d2h", "90d", "3y120d", "10y").
    /// </summary>
    public static string HumanDuration(TimeSpan d)
    {
        // Go: seconds := int64(d.Seconds()); negative or tiny durations print as seconds.
        var seconds = (long)Math.Truncate(d.TotalSeconds);
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 60 * 2) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            var s = seconds % 60;
            return s == 0 ? $"{minutes}m" : $"{minutes}m{s}s";
        }
        if (minutes < 60 * 3) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8)
        {
            var m = minutes % 60;
            return m == 0 ? $"{hours}h" : $"{hours}h{m}m";
        }
        if (hours < 48) return $"{hours}h";
        if (hours < 24 * 8)
        {
            var h = hours % 24;
            return h == 0 ? $"{hours / 24}d" : $"{hours / 24}d{h}h";
        }
        if (hours < 24 * 365 * 2) return $"{hours / 24}d";
        if (hours < 24 * 365 * 8)
        {
            var dy = hours / 24 % 365;
            return dy == 0 ? $"{hours / 24 / 365}y" : $"{hours / 24 / 365}y{dy}d";
        }
        return $"{hours / 24 / 365}y";
    }

    /// <summary>The AGE of an object created at <paramref name="created"/>, as of <paramref name="now"/>.</summary>
    public static string Age(DateTimeOffset? created, DateTimeOffset now) =>
        created is { } c ? HumanDuration(now - c) : "<unknown>";
}
