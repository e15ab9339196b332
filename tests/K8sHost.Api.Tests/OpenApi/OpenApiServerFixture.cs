using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>
/// One OpenAPI test host with the server's real catalog (BuiltInKinds), shared by the tests that only read documents:
/// generating them costs about a second on a busy CI machine, and the documents never change while a host runs.
/// </summary>
public sealed class OpenApiServerFixture : IAsyncLifetime
{
    public OpenApiTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await OpenApiTestHost.StartAsync(new ResourceCatalog(BuiltInKinds.All()));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class OpenApiServerCollection : ICollectionFixture<OpenApiServerFixture>
{
    public const string Name = "OpenApiServer";
}
