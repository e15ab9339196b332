using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>validateEnv, validateVolumeMounts and validateProbe, with kube's paths and messages.</summary>
internal static class ContainerValidation
{
    private static readonly string[] Handlers = ["exec", "httpGet", "tcpSocket", "grpc"];

    /// <summary>RelaxedEnvironmentVariableValidation (GA): any printable ASCII but '='.</summary>
    public static IEnumerable<FieldError> Env(string path, IReadOnlyList<JsonObject> env)
    {
        for (var i = 0; i < env.Count; i++)
        {
            var name = J.S(env[i], "name");
            if (name.Length == 0) yield return FieldError.Required($"{path}[{i}].name");
            else if (name.Any(ch => ch is < ' ' or > '~' or '='))
                yield return FieldError.Invalid($"{path}[{i}].name", name,
                    "a valid environment variable name must consist only of printable ASCII characters other than '='");
            if (J.Obj(env[i], "valueFrom") is { } from)
            {
                var sources = from.Count(p => p.Value is not null);
                if (sources == 0)
                    yield return FieldError.Invalid($"{path}[{i}].valueFrom", "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
                else if (J.S(env[i], "value").Length > 0)
                    yield return FieldError.Invalid($"{path}[{i}].valueFrom", "", "may not be specified when `value` is not empty");
                else if (sources > 1)
                    yield return FieldError.Invalid($"{path}[{i}].valueFrom", "", "may not have more than one field specified at a time");
            }
        }
    }

    /// <summary>Each mount names a volume of the pod, at a path of its own.</summary>
    public static IEnumerable<FieldError> Mounts(string path, IReadOnlyList<JsonObject> mounts, IReadOnlySet<string> volumes)
    {
        var paths = new HashSet<string>();
        for (var i = 0; i < mounts.Count; i++)
        {
            var at = $"{path}[{i}]";
            var name = J.S(mounts[i], "name");
            if (name.Length == 0) yield return FieldError.Required($"{at}.name");
            else if (!volumes.Contains(name)) yield return FieldError.NotFound($"{at}.name", name);
            var mountPath = J.S(mounts[i], "mountPath");
            if (mountPath.Length == 0) yield return FieldError.Required($"{at}.mountPath");
            else if (!paths.Add(mountPath)) yield return FieldError.Invalid($"{at}.mountPath", mountPath, "must be unique");
        }
    }

    public static IEnumerable<FieldError> Probes(string container, JsonObject c)
    {
        foreach (var kind in new[] { "livenessProbe", "readinessProbe", "startupProbe" })
        {
            if (J.Obj(c, kind) is not { } probe) continue;
            var at = $"{container}.{kind}";
            var handlers = Handlers.Where(h => probe[h] is not null).ToList();
            if (handlers.Count == 0) yield return FieldError.Required(at, "must specify a handler type");
            foreach (var extra in handlers.Skip(1)) yield return FieldError.Forbidden($"{at}.{extra}", "may not specify more than 1 handler type");
            foreach (var n in new[] { "initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold" })
                foreach (var e in Checks.NonNegative($"{at}.{n}", J.Long(probe, n))) yield return e;
            if (J.Long(probe, "terminationGracePeriodSeconds") is <= 0 and var grace)
                yield return FieldError.Invalid($"{at}.terminationGracePeriodSeconds", grace, "must be greater than 0");
            // Liveness and startup probes end on the first success; only readiness may ask for more.
            if (kind != "readinessProbe" && J.Long(probe, "successThreshold") is { } st and not 1)
                yield return FieldError.Invalid($"{at}.successThreshold", st, "must be 1");
            if (J.Obj(probe, "httpGet") is { } get) foreach (var e in PortNumOrName($"{at}.httpGet.port", get["port"])) yield return e;
            if (J.Obj(probe, "tcpSocket") is { } tcp) foreach (var e in PortNumOrName($"{at}.tcpSocket.port", tcp["port"])) yield return e;
        }
    }

    /// <summary>ValidatePortNumOrName: 1-65535, or an IANA port name.</summary>
    public static IEnumerable<FieldError> PortNumOrName(string field, JsonNode? port)
    {
        if (J.Long(port) is { } n)
        {
            foreach (var e in Checks.Port(field, n)) yield return e;
            yield break;
        }
        var name = J.S(port);
        if (name.Length == 0) yield return FieldError.Required(field);
        else foreach (var e in Checks.PortName(field, name)) yield return e;
    }
}
