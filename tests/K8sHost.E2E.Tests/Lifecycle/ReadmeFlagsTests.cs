using K8sHost.E2E.Tests.Infrastructure;
using K8sHost.Server.Options;
using Xunit;

namespace K8sHost.E2E.Tests.Lifecycle;

/// <summary>The README's flags table and the server's flags table cannot drift apart.</summary>
public sealed class ReadmeFlagsTests
{
    [Fact]
    public void ReadmeRunningSection_DocumentsEveryFlagWithItsEnvironmentVariable()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("## Running it", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("\n## ", start + 5, StringComparison.Ordinal)];
        foreach (var flag in ServerFlags.All.Where(f => f.Kind == FlagKind.Setting))
        {
            var row = section.Split('\n').FirstOrDefault(l => l.StartsWith('|') && l.Contains($"`{flag.Name}", StringComparison.Ordinal));
            Assert.True(row is not null, $"README's flags table has no row for {flag.Name}");
            Assert.Contains(flag.EnvironmentVariable!, row);
        }
    }
}
