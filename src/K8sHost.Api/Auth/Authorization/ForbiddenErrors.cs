using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Api.Auth.Authorization;

/// <summary>
/// kube-apiserver's 403 for a request the authorizer did not allow:
/// `pods "web" is forbidden: User "alice" cannot get resource "pods" in API group "" in the namespace "dev"`,
/// `… at the cluster scope` without a namespace, `forbidden: User "x" cannot get path "/apis"` for non-resource paths,
/// with ": reason" appended when the authorizer gave one. details carry the resource (as kind), group and name.
/// </summary>
public static class ForbiddenErrors
{
    public static ApiError For(AuthorizationAttributes a, string reason)
    {
        var why = Why(a);
        if (reason.Length > 0) why += ": " + reason;
        if (!a.IsResourceRequest) return new ApiError(403, "Forbidden", "forbidden: " + why);
        var qualified = ApiError.Qualified(a.Resource, a.ApiGroup);
        var message = a.Name.Length == 0 ? $"{qualified} is forbidden: {why}" : $"{qualified} \"{a.Name}\" is forbidden: {why}";
        return new ApiError(403, "Forbidden", message, kind: a.Resource, name: a.Name.Length == 0 ? null : a.Name,
            group: a.ApiGroup.Length == 0 ? null : a.ApiGroup);
    }

    public static string Why(AuthorizationAttributes a)
    {
        var user = a.User.Name;
        if (!a.IsResourceRequest) return $"User \"{user}\" cannot {a.Verb} path \"{a.Path}\"";
        var resource = a.Subresource.Length > 0 ? $"{a.Resource}/{a.Subresource}" : a.Resource;
        return a.Namespace.Length > 0
            ? $"User \"{user}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.ApiGroup}\" in the namespace \"{a.Namespace}\""
            : $"User \"{user}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.ApiGroup}\" at the cluster scope";
    }
}
