using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace K8sHost.E2E.Tests;

// Tests that start server processes run one class at a time: on a 2-core machine parallel servers make timing-based
// client behaviour (kubectl timeouts) flaky without adding coverage.
[CollectionDefinition("kubectl", DisableParallelization = true)]
public sealed class KubectlCollection;
