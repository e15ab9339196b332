using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using K8sHost.Registry.Generic;
using K8sHost.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryStoreOutageTests
{
    private sealed class UnreachableForWrites(IResourceStore inner) : DelegatingStore(inner)
    {
        public override Task<StoreResult<long>> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken ct = default) =>
            throw new StoreUnavailableException("sqlite: disk I/O error");
    }

    [Fact]
    public async Task StoreUnavailable_Becomes503WithRetryAfter()
    {
        await using var h = await StartAsync();
        var registry = new GenericRegistry(new UnreachableForWrites(h.Store), h.Cache, TestKinds.Catalog(), NullLogger<GenericRegistry>.Instance);
        var e = await Assert.ThrowsAsync<ApiError>(() =>
            registry.CreateAsync(h.Rc, TestKinds.ConfigMaps, "default", Obj("""{"metadata":{"name":"a"}}"""), new WriteOptions(), Ct));
        Assert.Equal(503, e.Code);
        Assert.Equal("ServiceUnavailable", e.Reason);
        Assert.Equal(1, e.RetryAfterSeconds);
    }
}
