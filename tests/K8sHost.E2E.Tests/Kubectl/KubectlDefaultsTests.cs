using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Kubectl;

/// <summary>Defaulting and validation as kubectl v1.35 shows them: what `describe` prints, what `create` is refused with.</summary>
[Collection("kubectl")]
public sealed class KubectlDefaultsTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    private static string Suffix() => Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task DescribePod_EnvFromFieldRef_ShowsDefaultedApiVersion()
    {
        var name = $"env-{Suffix()}";
        await k.OkAsync("apply -f -", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: {name}
              namespace: default
            spec:
              containers:
              - name: app
                image: busybox:1.36
                env:
                - name: POD_NAME
                  valueFrom:
                    fieldRef:
                      fieldPath: metadata.name
            """);
        var describe = await k.OkAsync($"describe pod {name} -n default");
        Assert.Contains("(v1:metadata.name)", describe);
        await k.OkAsync($"delete pod {name} -n default --wait=false");
    }

    [Fact]
    public async Task CreateNode_WithoutSpecOrStatus_ReadsBackBothAsKubeDoes()
    {
        var name = $"bare-{Suffix()}";
        await k.OkAsync("create -f -", $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n");
        var node = JsonNode.Parse(await k.OkAsync($"get node {name} -o json"))!.AsObject();
        Assert.Equal("{}", node["spec"]?.ToJsonString());
        Assert.Equal(0, node["status"]?["daemonEndpoints"]?["kubeletEndpoint"]?["Port"]?.GetValue<int>());
        Assert.Equal("", node["status"]?["nodeInfo"]?["kubeletVersion"]?.GetValue<string>());
        await k.OkAsync($"delete node {name}");
    }

    [Fact]
    public async Task CreateNode_WithBadTaintAndPodCidr_IsRefusedWithKubeCauses()
    {
        var name = $"bad-{Suffix()}";
        var result = await k.RunAsync("create -f -", $"""
            apiVersion: v1
            kind: Node
            metadata:
              name: {name}
            spec:
              podCIDR: garbage
              taints:
              - key: dedicated
                effect: Bad
            """);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"The Node \"{name}\" is invalid", result.StdErr);
        Assert.Contains("metadata.taints[0].effect: Unsupported value: \"Bad\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"", result.StdErr);
        Assert.Contains("spec.podCIDRs[0]: Invalid value: \"garbage\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)", result.StdErr);
        Assert.NotEqual(0, (await k.RunAsync($"get node {name}")).ExitCode);
    }
}
