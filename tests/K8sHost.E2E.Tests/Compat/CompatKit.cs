using System.Text.Json.Nodes;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>Small shared pieces of the kubectl compatibility tests: per-test namespaces, manifests and JSON reads.</summary>
internal static class CompatKit
{
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Creates a namespace with a JSON body (apply -f), so this does not depend on protobuf request bodies.</summary>
    public static async Task<string> NewNamespaceAsync(Infrastructure.Kubectl k, string prefix)
    {
        var ns = UniqueName(prefix);
        await k.OkAsync("apply -f -", $"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n");
        return ns;
    }

    public static string Pod(string name, string ns, string image = "nginx:1.27", string app = "web") => $"""
        apiVersion: v1
        kind: Pod
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            app: {app}
        spec:
          containers:
          - name: nginx
            image: {image}
            ports:
            - containerPort: 80
        """;

    public static async Task<JsonNode> GetJsonAsync(Infrastructure.Kubectl k, string args)
        => JsonNode.Parse(await k.OkAsync($"get {args} -o json"))!;

    public static async Task<string> ImageOfAsync(Infrastructure.Kubectl k, string pod, string ns)
        => (await k.OkAsync($"get pod {pod} -n {ns} -o jsonpath={{.spec.containers[0].image}}")).Trim();

    /// <summary>The (manager, operation) pairs of metadata.managedFields; kubectl hides them unless asked.</summary>
    public static async Task<List<(string Manager, string Operation)>> ManagersAsync(Infrastructure.Kubectl k, string args)
    {
        var obj = JsonNode.Parse(await k.OkAsync($"get {args} -o json --show-managed-fields"))!;
        return (obj["metadata"]!["managedFields"]?.AsArray() ?? [])
            .Select(e => (e!["manager"]!.GetValue<string>(), e["operation"]!.GetValue<string>()))
            .ToList();
    }
}
