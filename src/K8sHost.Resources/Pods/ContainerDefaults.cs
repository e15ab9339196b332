using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>
/// SetDefaults_Container and the defaulters nested in a container (ports, env selectors, probes, lifecycle hooks),
/// the same for containers, init containers and ephemeral containers.
/// </summary>
internal static class ContainerDefaults
{
    private static readonly string[] Probes = ["livenessProbe", "readinessProbe", "startupProbe"];

    public static void Apply(JsonObject c)
    {
        J.DefaultStr(c, "imagePullPolicy", PullPolicyFor(J.Str(c, "image")));
        J.DefaultStr(c, "terminationMessagePath", "/dev/termination-log");
        J.DefaultStr(c, "terminationMessagePolicy", "File");
        // ResourceRequirements is a struct in Go: an unset one still serializes as {}.
        J.Ensure(c, "resources");
        foreach (var p in J.Objs(c, "ports")) J.DefaultStr(p, "protocol", "TCP");
        foreach (var e in J.Objs(c, "env"))
            if (J.Obj(e, "valueFrom") is { } from) Selectors(from);
        foreach (var name in Probes)
            if (J.Obj(c, name) is { } probe) Probe(probe);
        foreach (var hook in new[] { "postStart", "preStop" })
            if (J.Obj(c, "lifecycle", hook, "httpGet") is { } get) HttpGet(get);
    }

    /// <summary>fieldRef (ObjectFieldSelector) and resourceFieldRef, as found in env valueFrom and downward API items.</summary>
    public static void Selectors(JsonObject holder)
    {
        if (J.Obj(holder, "fieldRef") is { } field) J.DefaultStr(field, "apiVersion", "v1");
        // divisor is a Quantity value, not a pointer: its zero value serializes as "0".
        if (J.Obj(holder, "resourceFieldRef") is { } resource) J.Default(resource, "divisor", "0");
    }

    /// <summary>SetDefaults_Probe plus the handler defaults (HTTPGetAction; GRPCAction's declared service "").</summary>
    private static void Probe(JsonObject probe)
    {
        DefaultPositive(probe, "timeoutSeconds", 1);
        DefaultPositive(probe, "periodSeconds", 10);
        DefaultPositive(probe, "successThreshold", 1);
        DefaultPositive(probe, "failureThreshold", 3);
        if (J.Obj(probe, "httpGet") is { } get) HttpGet(get);
        if (J.Obj(probe, "grpc") is { } grpc) J.Default(grpc, "service", "");
    }

    private static void HttpGet(JsonObject get)
    {
        J.DefaultStr(get, "path", "/");
        J.DefaultStr(get, "scheme", "HTTP");
    }

    /// <summary>Go defaults int32 fields that are zero, so an explicit 0 is replaced too.</summary>
    private static void DefaultPositive(JsonObject o, string key, int value)
    {
        if ((J.Long(o, key) ?? 0) == 0) o[key] = value;
    }

    /// <summary>The image's tag decides: "latest" (or no tag and no digest) pulls Always, anything else IfNotPresent.</summary>
    public static string PullPolicyFor(string? image)
    {
        if (string.IsNullOrEmpty(image)) return "IfNotPresent";
        if (image.Contains('@')) return "IfNotPresent";
        var lastSlash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', lastSlash + 1);
        if (colon < 0) return "Always";
        return image[(colon + 1)..] == "latest" ? "Always" : "IfNotPresent";
    }
}
