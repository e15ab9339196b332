using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;

namespace K8sHost.Api.Endpoints;

/// <summary>Verb checks against the descriptor, so a kind that lacks a verb answers 405 like kube-apiserver.</summary>
public static class ResourceVerb
{
    public static void Require(ResourceDescriptor d, string verb)
    {
        if (!d.Verbs.Contains(verb))
            throw ApiError.MethodNotAllowed($"{verb} is not supported on resources of kind \"{d.QualifiedPlural}\"");
    }

    public static ApiError NotAllowed(string method, ResourceDescriptor d, string? sub) =>
        ApiError.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {d.QualifiedPlural}{(sub is null ? "" : "/" + sub)})");
}
