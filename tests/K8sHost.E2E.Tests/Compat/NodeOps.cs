namespace K8sHost.E2E.Tests.Compat;

/// <summary>Node set-up as a kubelet and scheduler would do it: register, report Ready, bind pods via pods/binding.</summary>
internal static class NodeOps
{
    public static async Task<string> CreateReadyNodeAsync(Infrastructure.Kubectl k)
    {
        var name = CompatKit.UniqueName("node");
        await k.OkAsync("create -f -", $"apiVersion: v1\nkind: Node\nmetadata:\n  name: {name}\n");
        await k.OkAsync($"patch node {name} --subresource=status --type=merge -p '" +
            "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"KubeletReady\",\"message\":\"kubelet is posting ready status\"}]," +
            "\"capacity\":{\"cpu\":\"4\",\"memory\":\"8Gi\",\"pods\":\"110\"},\"allocatable\":{\"cpu\":\"4\",\"memory\":\"8Gi\",\"pods\":\"110\"}," +
            "\"nodeInfo\":{\"kubeletVersion\":\"v1.35.0\"}}}'");
        return name;
    }

    /// <summary>POST pods/{name}/binding, the scheduler's call (kubectl create --raw sends the JSON body as is).</summary>
    public static async Task BindAsync(Infrastructure.Kubectl k, string ns, string pod, string node)
    {
        var body = $"{{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{{\"name\":\"{pod}\",\"namespace\":\"{ns}\"}},\"target\":{{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"{node}\"}}}}";
        await k.OkAsync($"create --raw /api/v1/namespaces/{ns}/pods/{pod}/binding -f -", body);
        var bound = (await k.OkAsync($"get pod {pod} -n {ns} -o jsonpath={{.spec.nodeName}}")).Trim();
        if (bound != node) throw new Xunit.Sdk.XunitException($"pod {ns}/{pod} is bound to '{bound}', expected '{node}'");
    }
}
