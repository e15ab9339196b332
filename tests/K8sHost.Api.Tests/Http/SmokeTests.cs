using System.Net;

namespace K8sHost.Api.Tests.Http;

[Collection(ApiServerCollection.Name)]
public sealed class SmokeTests(ApiServerFixture server)
{
    [Fact]
    public async Task CreateThenGet_ConfigMap_RoundTripsThroughTheRealStack()
    {
        using var created = await server.Client.PostAsync("/api/v1/namespaces/default/configmaps", ApiServerFixture.Json(ApiServerFixture.ConfigMap("smoke")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var got = await server.Client.GetAsync("/api/v1/namespaces/default/configmaps/smoke");
        Assert.Equal(HttpStatusCode.OK, got.StatusCode);
        var obj = await ApiServerFixture.ReadObjectAsync(got);
        Assert.Equal("v", (string?)obj["data"]!["k"]);
    }
}
