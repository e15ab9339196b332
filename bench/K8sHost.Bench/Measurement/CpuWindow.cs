using System.Diagnostics;

namespace K8sHost.Bench.Measurement;

/// <summary>
/// CPU used by the measured process and by the bench (the client) over a phase. When the client is itself near a full
/// core, the phase measures the client as much as the server, and the row says so.
/// </summary>
public sealed class CpuWindow
{
    private readonly int _pid;
    private readonly TimeSpan _target0;
    private readonly TimeSpan _self0;
    private readonly long _started;

    private CpuWindow(int pid)
    {
        _pid = pid;
        _target0 = ProcStats.CpuTime(pid);
        _self0 = Process.GetCurrentProcess().TotalProcessorTime;
        _started = Stopwatch.GetTimestamp();
    }

    public static CpuWindow Start(int pid) => new(pid);

    public Dictionary<string, double> Stop(long operations)
    {
        var wall = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var target = ProcStats.CpuTime(_pid) - _target0;
        var self = Process.GetCurrentProcess().TotalProcessorTime - _self0;
        return new Dictionary<string, double>
        {
            ["serverCpuUsPerOp"] = target.TotalMicroseconds / Math.Max(1, operations),
            ["serverCpuCores"] = target.TotalSeconds / wall,
            ["clientCpuCores"] = self.TotalSeconds / wall,
            ["serverRssMb"] = ProcStats.RssMb(_pid),
        };
    }

    public static string Describe(Dictionary<string, double> e) =>
        $"server {e["serverCpuUsPerOp"]:0.0} µs CPU/op, server {e["serverCpuCores"]:0.00} / client {e["clientCpuCores"]:0.00} cores busy";
}
