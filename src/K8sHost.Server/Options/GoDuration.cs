using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace K8sHost.Server.Options;

/// <summary>
/// Durations as kube-apiserver's flags write them ("1m0s", "500ms", "1h30m"), so a duration flag accepts what users
/// copy from its documentation. Configuration keys keep .NET's TimeSpan form ("00:01:00"); the flag value is converted.
/// </summary>
public static partial class GoDuration
{
    [GeneratedRegex(@"^(?:(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text == "0") return true;
        if (!Shape().IsMatch(text)) return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
        foreach (Match m in Part().Matches(text))
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            value += m.Groups[2].Value switch
            {
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                "s" => TimeSpan.FromSeconds(n),
                "ms" => TimeSpan.FromMilliseconds(n),
                "ns" => TimeSpan.FromTicks((long)(n / 100)),
                _ => TimeSpan.FromMicroseconds(n),
            };
        }
        return true;
    }

    /// <summary>Go's time.Duration.String for whole milliseconds and up: 5m0s, 1h0m0s, 1.5s, 0s.</summary>
    public static string Format(TimeSpan t)
    {
        if (t == TimeSpan.Zero) return "0s";
        if (t < TimeSpan.FromSeconds(1)) return ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms";
        var sb = new StringBuilder();
        var hours = (long)t.TotalHours;
        if (hours > 0) sb.Append(hours).Append('h');
        if (hours > 0 || t.Minutes > 0) sb.Append(t.Minutes).Append('m');
        var seconds = t.Seconds + t.Milliseconds / 1000.0;
        sb.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
