using System.Diagnostics;

namespace K8sHost.Bench.Measurement;

/// <summary>Runs an action at a fixed rate on an absolute schedule (a slow call does not shift later ones).</summary>
public static class Pacer
{
    public static async Task<int> RunAsync(double perSecond, TimeSpan duration, Func<int, Task> tick, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var count = (int)Math.Round(perSecond * duration.TotalSeconds);
        for (var k = 0; k < count && !ct.IsCancellationRequested; k++)
        {
            var due = TimeSpan.FromSeconds(k / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero) await Task.Delay(due, ct);
            await tick(k);
        }
        return count;
    }
}
