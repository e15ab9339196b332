using System.Text.Json.Nodes;
using K8sHost.Registry.Contracts;

namespace K8sHost.Api.Reviews;

/// <summary>authentication.k8s.io/v1 SelfSubjectReview (`kubectl auth whoami`): the caller as the authenticator saw it.</summary>
public static class SelfSubjectReviews
{
    public static JsonObject Answer(JsonObject review, UserInfo user)
    {
        var userInfo = new JsonObject { ["username"] = user.Name };
        if (user.Uid.Length > 0) userInfo["uid"] = user.Uid;
        if (user.Groups.Count > 0) userInfo["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode)g)]);
        return ReviewReplies.Reply(ReviewResources.WhoAmI, review, spec: null, new JsonObject { ["userInfo"] = userInfo });
    }
}
