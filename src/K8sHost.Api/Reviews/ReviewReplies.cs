using System.Text.Json.Nodes;
using K8sHost.Api.Discovery;

namespace K8sHost.Api.Reviews;

/// <summary>A review is answered by echoing it with the server's status filled in; nothing is stored.</summary>
internal static class ReviewReplies
{
    public static JsonObject Reply(VirtualResource r, JsonObject review, JsonObject? spec, JsonObject status)
    {
        var reply = new JsonObject
        {
            ["kind"] = r.Kind,
            ["apiVersion"] = r.ApiVersion,
            ["metadata"] = review["metadata"] is JsonObject m ? m.DeepClone() : new JsonObject(),
        };
        if (spec is not null) reply["spec"] = spec.DeepClone();
        reply["status"] = status;
        return reply;
    }
}
