using System.Text.Json.Nodes;
using K8sHost.Api.Auth.Authorization;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Reviews;

/// <summary>authorization.k8s.io/v1 SelfSubjectRulesReview (`kubectl auth can-i --list`): everything the caller may do in a namespace.</summary>
public static class SelfSubjectRulesReviews
{
    public static JsonObject Answer(JsonObject review, UserInfo user, IAuthorizer authorizer, Tenant? tenant = null)
    {
        var spec = SelfSubjectAccessReviews.Object(review, "spec") ?? new JsonObject();
        var ns = SelfSubjectAccessReviews.Str(spec, "namespace");
        if (ns.Length == 0) throw ApiError.BadRequest("no namespace on request");
        var rules = authorizer.RulesFor(user, ns, tenant ?? Tenant.Default);
        var status = new JsonObject
        {
            ["resourceRules"] = new JsonArray([.. rules.ResourceRules.Select(r => (JsonNode)ResourceRule(r))]),
            ["nonResourceRules"] = new JsonArray([.. rules.NonResourceRules.Select(r => (JsonNode)new JsonObject
            {
                ["verbs"] = Strings(r.Verbs),
                ["nonResourceURLs"] = Strings(r.NonResourceUrls),
            })]),
            ["incomplete"] = rules.Incomplete,
        };
        if (rules.EvaluationError.Length > 0) status["evaluationError"] = rules.EvaluationError;
        return ReviewReplies.Reply(ReviewResources.RulesReview, review, spec, status);
    }

    private static JsonObject ResourceRule(ResourceRule r)
    {
        var o = new JsonObject { ["verbs"] = Strings(r.Verbs), ["apiGroups"] = Strings(r.ApiGroups), ["resources"] = Strings(r.Resources) };
        if (r.ResourceNames.Count > 0) o["resourceNames"] = Strings(r.ResourceNames);
        return o;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);
}
