using Xunit;

namespace K8sHost.E2E.Tests.Infrastructure;

/// <summary>One server process shared by a test class (each test uses its own namespace to stay independent).</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; } = new();
    public Kubectl Kubectl => new(Server);

    public Task InitializeAsync() => Server.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
