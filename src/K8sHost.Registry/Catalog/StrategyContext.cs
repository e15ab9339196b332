using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Catalog;

/// <summary>What a strategy hook may know about the request: who, which tenant, dry run or not, and the clock.</summary>
public sealed record StrategyContext(RequestContext Request, ResourceDescriptor Descriptor, bool DryRun, DateTimeOffset Now)
{
    /// <summary>Store access for hooks that keep state (service IP allocation). Null in pure unit tests.</summary>
    public IServiceProvider? Services { get; init; }
}
