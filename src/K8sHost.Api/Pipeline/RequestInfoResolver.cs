using K8sHost.ApiMachinery.Validation;
using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// Turns a method and URL into a <see cref="RequestInfo"/> the way kube-apiserver's RequestInfoFactory does:
/// /api/{version}/… and /apis/{group}/{version}/… are resource requests (shorter paths are not), a "watch" segment or
/// ?watch=true makes a watch, a GET or DELETE without a name is a list/watch or deletecollection, and
/// fieldSelector=metadata.name=X names the object. Which segments after namespaces/{ns} are the namespace's own
/// subresources, and which kind a path names, come from the catalog.
/// </summary>
public sealed class RequestInfoResolver
{
    private readonly ResourceCatalog _catalog;
    private readonly HashSet<string> _namespaceSubresources;

    public RequestInfoResolver(ResourceCatalog catalog)
    {
        _catalog = catalog;
        // "finalize" is a namespace subresource in kube-apiserver's parser even where it is not served.
        _namespaceSubresources = new HashSet<string>(catalog.Namespaces?.Subresources ?? [], StringComparer.Ordinal) { "status", "finalize" };
    }

    public RequestInfo Resolve(HttpRequest request) =>
        Resolve(request.Method, request.Path.Value ?? "/", request.Query["watch"].ToString(), request.Query["fieldSelector"].ToString());

    public RequestInfo Resolve(string method, string path, string watchParam = "", string fieldSelector = "")
    {
        var nonResource = new RequestInfo { IsResourceRequest = false, Path = path, Verb = method.ToLowerInvariant() };
        var parts = path.Trim('/').Split('/', StringSplitOptions.None);
        if (parts.Length == 1 && parts[0].Length == 0) parts = [];
        if (parts.Length < 3 || parts[0] is not ("api" or "apis")) return nonResource;

        var rest = parts.AsSpan(1);
        var group = "";
        if (parts[0] == "apis")
        {
            if (rest.Length < 3) return nonResource;
            group = rest[0];
            rest = rest[1..];
        }
        var version = rest[0];
        rest = rest[1..];

        string verb;
        if (rest[0] == "watch")
        {
            if (rest.Length < 2) return nonResource with { Verb = "watch" };
            verb = "watch";
            rest = rest[1..];
        }
        else
        {
            verb = method switch
            {
                "POST" => "create",
                "GET" or "HEAD" => "get",
                "PUT" => "update",
                "PATCH" => "patch",
                "DELETE" => "delete",
                _ => "",
            };
        }

        var ns = "";
        if (rest[0] == "namespaces" && rest.Length > 1)
        {
            ns = rest[1];
            if (rest.Length > 2 && !_namespaceSubresources.Contains(rest[2])) rest = rest[2..];
        }

        var resource = rest[0];
        var name = rest.Length >= 2 ? rest[1] : "";
        var sub = rest.Length >= 3 ? rest[2] : "";

        if (name.Length == 0 && verb == "get")
        {
            verb = IsWatch(watchParam) ? "watch" : "list";
            if (NameFromFieldSelector(fieldSelector) is { } selected) name = selected;
        }
        else if (name.Length == 0 && verb == "watch" && NameFromFieldSelector(fieldSelector) is { } selected)
        {
            name = selected;
        }
        if (name.Length == 0 && verb == "delete") verb = "deletecollection";

        return new RequestInfo
        {
            IsResourceRequest = true,
            Path = path,
            Verb = verb,
            ApiGroup = group,
            ApiVersion = version,
            Namespace = ns,
            Resource = resource,
            Subresource = sub,
            Name = name,
            Descriptor = _catalog.Find(group, version, resource),
        };
    }

    private static bool IsWatch(string value) => value.Length > 0 && !value.Equals("false", StringComparison.OrdinalIgnoreCase) && value != "0";

    /// <summary>A selector that requires exactly one name (metadata.name=X or ==X, alone or among other terms).</summary>
    private static string? NameFromFieldSelector(string selector)
    {
        if (selector.Length == 0) return null;
        foreach (var term in selector.Split(','))
        {
            var t = term.Trim();
            var op = t.Contains("==", StringComparison.Ordinal) ? "==" : t.Contains("!=", StringComparison.Ordinal) ? null : "=";
            if (op is null) continue;
            var i = t.IndexOf(op, StringComparison.Ordinal);
            if (i <= 0 || t[..i].Trim() != "metadata.name") continue;
            var name = t[(i + op.Length)..].Trim();
            return name.Length > 0 && NameRules.IsValidPathSegmentName(name).Count == 0 ? name : null;
        }
        return null;
    }
}
