using K8sHost.Api.Discovery;
using K8sHost.Server.Hosting;
using K8sHost.Server.Options;
using K8sHost.Storage;

// One command runs a Kubernetes-compatible API server on an embedded store: see README.md and --help.
try
{
    // Subcommands (snapshot, migrate, defrag) come before the server's flags are parsed.
    if (await K8sHost.Server.Commands.OperationsCommands.TryRunAsync(args) is int exitCode) return exitCode;
    var command = CommandLine.Parse(args);
    if (command.Help)
    {
        Console.Out.Write(FlagHelp.Render(ServerFlags.All));
        return 0;
    }
    if (command.Version)
    {
        Console.Out.WriteLine($"K8sHost.Rest {VersionEndpoint.GitVersion}");
        return 0;
    }
    var app = await ServerHost.BuildAsync(command);
    await app.RunAsync();
    return 0;
}
catch (StoreUnavailableException e)
{
    // A bad --storage URL or an unreachable store is a one-line error, not a stack trace.
    Console.Error.WriteLine($"k8shost: storage: {e.Message}");
    return 1;
}
catch (Exception e) when (e is InvalidOptionsException or InvalidOperationException or IOException or FormatException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"k8shost: {e.Message}");
    return 1;
}

/// <summary>Visible to WebApplicationFactory in the API tests.</summary>
public partial class Program;
