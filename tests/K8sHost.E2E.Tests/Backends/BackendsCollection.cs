using Xunit;

namespace K8sHost.E2E.Tests.Backends;

/// <summary>
/// One etcd + server and one FlareDB + server for all the classes that only use them (functional tests and the
/// throughput comparison): starting each backend and server once keeps the Backends tests well within budget.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BackendsCollection : ICollectionFixture<EtcdServerFixture>, ICollectionFixture<FlareDbServerFixture>
{
    public const string Name = "backends";
}
