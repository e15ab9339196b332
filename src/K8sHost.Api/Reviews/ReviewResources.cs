using K8sHost.Api.Discovery;

namespace K8sHost.Api.Reviews;

/// <summary>The self-subject reviews as discovery lists them: cluster-scoped, create-only, never stored.</summary>
public static class ReviewResources
{
    public static readonly VirtualResource AccessReview = new("authorization.k8s.io", "v1", "SelfSubjectAccessReview",
        "selfsubjectaccessreviews", "selfsubjectaccessreview", Namespaced: false, ["create"]);

    public static readonly VirtualResource RulesReview = new("authorization.k8s.io", "v1", "SelfSubjectRulesReview",
        "selfsubjectrulesreviews", "selfsubjectrulesreview", Namespaced: false, ["create"]);

    public static readonly VirtualResource WhoAmI = new("authentication.k8s.io", "v1", "SelfSubjectReview",
        "selfsubjectreviews", "selfsubjectreview", Namespaced: false, ["create"]);

    public static IReadOnlyList<VirtualResource> All { get; } = [AccessReview, RulesReview, WhoAmI];
}
