using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Lifecycle;

public sealed class DeploymentFilesTests
{
    [Fact]
    public async Task DockerCompose_IsValid_AndRunsTheServerOnThreeEtcdMembers()
    {
        var file = Path.Combine(RepoPaths.Root, "docker-compose.yml");
        var r = await ProcessRunner.RunAsync("docker-compose", ["-f", file, "config"], timeout: TimeSpan.FromSeconds(60), workDir: RepoPaths.Root);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("etcd://etcd1:2379,etcd2:2379,etcd3:2379", r.StdOut);
        foreach (var member in new[] { "etcd1:", "etcd2:", "etcd3:", "apiserver:" }) Assert.Contains(member, r.StdOut);
    }
}
