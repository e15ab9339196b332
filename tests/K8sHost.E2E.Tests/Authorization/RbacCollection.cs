using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>The authorization test classes share one RBAC server (starting one per class would only cost time).</summary>
[CollectionDefinition("rbac", DisableParallelization = true)]
public sealed class RbacCollection : ICollectionFixture<RbacServerFixture>;
