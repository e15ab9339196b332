using System.Globalization;

namespace K8sHost.Bench.Measurement;

/// <summary>Reads another process's memory and CPU from /proc (Linux), the way `ps`/`top` would.</summary>
public static class ProcStats
{
    private static readonly long ClockTicksPerSecond = 100; // USER_HZ: 100 on every mainstream Linux build.

    /// <summary>VmRSS (or another /proc/PID/status field such as VmHWM, Threads) in bytes/units; null if unreadable.</summary>
    public static long? StatusField(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
                var parts = line[(field.Length + 1)..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                var value = long.Parse(parts[0], CultureInfo.InvariantCulture);
                return parts.Length > 1 && parts[1] == "kB" ? value * 1024 : value;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    public static double RssMb(int pid) => (StatusField(pid, "VmRSS") ?? 0) / (1024.0 * 1024.0);

    /// <summary>"anon X MB (GC heap + native), file Y MB (mapped assemblies, libraries)", from /proc/PID/status.</summary>
    public static string RssBreakdown(int pid) =>
        $"RssAnon {(StatusField(pid, "RssAnon") ?? 0) / 1048576.0:0} MB, RssFile {(StatusField(pid, "RssFile") ?? 0) / 1048576.0:0} MB, VmHWM {(StatusField(pid, "VmHWM") ?? 0) / 1048576.0:0} MB, {StatusField(pid, "Threads")} threads";

    /// <summary>utime + stime of the process, from /proc/PID/stat.</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may contain spaces; fields after the closing parenthesis are positional.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // rest[0] is field 3 (state); utime is field 14, stime field 15.
        var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
    }
}
