using System.Globalization;

namespace K8sHost.Api.Deadlines;

/// <summary>
/// Go's duration syntax, which kube-apiserver's duration flags use: "60s", "1m0s", "1h30m", "1.5s", "250ms", "0".
/// A sequence of decimal numbers, each with a unit (ns, us, µs, ms, s, m, h); only "0" may omit the unit.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", 0.01), ("us", 10), ("µs", 10), ("μs", 10), ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond), ("m", TimeSpan.TicksPerMinute), ("h", TimeSpan.TicksPerHour),
    ];

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var s = text?.Trim() ?? "";
        if (s.Length == 0) return false;
        var negative = s[0] == '-';
        if (s[0] is '-' or '+') s = s[1..];
        if (s == "0") return true;
        if (s.Length == 0) return false;

        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            if (i == start || !double.TryParse(s[start..i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            var unit = s[unitStart..i];
            var match = Array.Find(Units, u => u.Unit == unit);
            if (match.Unit is null) return false;
            ticks += value * match.Ticks;
        }

        if (ticks > TimeSpan.MaxValue.Ticks) return false;
        duration = TimeSpan.FromTicks((long)(negative ? -ticks : ticks));
        return true;
    }
}
