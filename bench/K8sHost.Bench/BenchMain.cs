namespace K8sHost.Bench;

/// <summary>`dotnet run -c Release --project bench/K8sHost.Bench -- [--smoke] [--out bench/results] [--etcd] [--pods N]`.</summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["--ceiling-host", var dir]) return await Ceilings.CeilingHost.ServeAsync(dir);
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        options = options with { OutDir = BenchRunner.ResolveOutDir(options.OutDir) };
        var (report, _, _) = await BenchRunner.RunAsync(options, Console.Out);
        return report.Errors.Count == 0 ? 0 : 1;
    }
}
