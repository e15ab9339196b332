using System.Text.Json.Nodes;

namespace K8sHost.Resources.Common;

/// <summary>
/// A kind's SetObjectDefaults: every value kube-apiserver fills in when it decodes an object of that kind (the
/// core/v1 SetDefaults_* functions and declared defaults), plus the empty structs Go always serializes (a Node's
/// `spec: {}`), so an object reads back as kube-apiserver returns it. Mutates in place; must be idempotent, because
/// it runs on every write of the object, including bodies that are the result of an earlier read.
/// </summary>
internal delegate void ObjectDefaults(JsonObject obj);

/// <summary>The /status write rule of IResourceStrategy's default hook, for strategies that default before it.</summary>
internal static class StatusWrites
{
    /// <summary>Everything but status (and metadata, reset by the registry) comes from <paramref name="old"/>.</summary>
    public static void KeepAllButStatus(JsonObject obj, JsonObject old)
    {
        foreach (var (k, v) in old)
        {
            if (k is "status" or "metadata" or "kind" or "apiVersion") continue;
            obj[k] = v?.DeepClone();
        }
        foreach (var k in obj.Select(p => p.Key).ToList())
            if (k is not ("status" or "metadata" or "kind" or "apiVersion") && !old.ContainsKey(k)) obj.Remove(k);
    }
}
