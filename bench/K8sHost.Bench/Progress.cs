using System.Diagnostics;

namespace K8sHost.Bench;

/// <summary>Timestamped progress lines on stdout, so a 10-minute run shows where it is.</summary>
public sealed class Progress(TextWriter output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Log(string message) => output.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");
}
