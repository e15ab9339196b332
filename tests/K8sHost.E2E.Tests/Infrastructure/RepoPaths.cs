namespace K8sHost.E2E.Tests.Infrastructure;

/// <summary>Finds the repository and the built server, so tests run the same binaries a user would.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Release or Debug, whichever this test assembly was built as.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ServerDll
    {
        get
        {
            // The test project references the server, so its build output sits next to the tests too.
            var local = Path.Combine(AppContext.BaseDirectory, "K8sHost.Server.dll");
            if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "K8sHost.Server.runtimeconfig.json"))) return local;
            return Path.Combine(Root, "src", "K8sHost.Server", "bin", Configuration, "net10.0", "K8sHost.Server.dll");
        }
    }

    public static string Kubectl => Tool("kubectl");
    public static string Helm => Tool("helm");

    private static string Tool(string name)
    {
        var path = Path.Combine(Root, ".tools", "bin", name);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: run scripts/install-tools.sh");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "K8sHost.Rest.sln"))) return dir.FullName;
        throw new InvalidOperationException("K8sHost.Rest.sln not found above " + AppContext.BaseDirectory);
    }
}
