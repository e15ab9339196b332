using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;

namespace K8sHost.Api.Discovery;

/// <summary>
/// Every discovery document, projected from the catalog once at startup (the catalog never changes while running).
/// Aggregated (apidiscovery.k8s.io) documents are what kubectl asks for first; the legacy per-group-version
/// APIResourceList is still fetched directly by `auth can-i` and `drain`.
/// </summary>
public sealed class DiscoveryDocuments
{
    private readonly ResourceCatalog _catalog;
    private readonly IReadOnlyList<VirtualResource> _virtual;
    private readonly Dictionary<(bool Core, string Version), byte[]> _aggregated = [];
    private readonly Dictionary<(string Group, string Version), byte[]> _resourceLists = [];
    private readonly Dictionary<string, byte[]> _groups = [];
    private readonly byte[] _groupList;

    public DiscoveryDocuments(ResourceCatalog catalog) : this(catalog, []) { }

    public DiscoveryDocuments(ResourceCatalog catalog, IEnumerable<VirtualResource> virtualResources)
    {
        _catalog = catalog;
        _virtual = [.. virtualResources];
        foreach (var v in new[] { "v2", "v2beta1" })
        {
            _aggregated[(true, v)] = Serialize(Aggregated(core: true, v));
            _aggregated[(false, v)] = Serialize(Aggregated(core: false, v));
        }
        foreach (var (g, v) in catalog.GroupVersions.Concat(_virtual.Select(r => (r.Group, r.Version))).Distinct())
            _resourceLists[(g, v)] = Serialize(ResourceList(g, v));
        foreach (var g in Groups()) _groups[g] = Serialize(Group(g));
        _groupList = Serialize(new JsonObject
        {
            ["kind"] = "APIGroupList",
            ["apiVersion"] = "v1",
            ["groups"] = new JsonArray([.. Groups().Select(Group)]),
        });
    }

    public static string AggregatedContentType(string version) =>
        $"application/json;g=apidiscovery.k8s.io;v={version};as=APIGroupDiscoveryList";

    /// <summary>The aggregated document for /api (core) or /apis (named groups); version "v2" or "v2beta1".</summary>
    public byte[] AggregatedDocument(bool core, string version) => _aggregated[(core, version)];

    public byte[]? ResourceListDocument(string group, string version) => _resourceLists.GetValueOrDefault((group, version));

    public byte[]? GroupDocument(string group) => _groups.GetValueOrDefault(group);

    public byte[] GroupListDocument => _groupList;

    /// <summary>Legacy /api: only the core versions; the address is the one the client used to reach us.</summary>
    public byte[] CoreVersionsDocument(string serverAddress) => Serialize(new JsonObject
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray([.. VersionsOf("").Select(v => (JsonNode)v)]),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    });

    /// <summary>Named groups in registration order.</summary>
    private IEnumerable<string> Groups() =>
        _catalog.All.Select(d => d.Group).Concat(_virtual.Select(r => r.Group)).Where(g => g.Length > 0).Distinct();

    /// <summary>Versions of a group in registration order: the first is the preferred one.</summary>
    private IEnumerable<string> VersionsOf(string group) => _catalog.All.Where(d => d.Group == group).Select(d => d.Version)
        .Concat(_virtual.Where(r => r.Group == group).Select(r => r.Version)).Distinct();

    private JsonObject Group(string group)
    {
        var versions = VersionsOf(group).ToList();
        JsonObject Gv(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(Gv)]),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }

    private JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var d in _catalog.All.Where(d => d.Group == group && d.Version == version))
        {
            var r = new JsonObject
            {
                ["name"] = d.Plural,
                ["singularName"] = d.Singular,
                ["namespaced"] = d.Namespaced,
                ["kind"] = d.Kind,
                ["verbs"] = Strings(d.Verbs),
            };
            if (d.ShortNames.Count > 0) r["shortNames"] = Strings(d.ShortNames);
            if (d.Categories.Count > 0) r["categories"] = Strings(d.Categories);
            resources.Add(r);
            foreach (var sub in d.Subresources)
            {
                var (g, v, kind, verbs) = SubresourceShape(d, sub);
                var s = new JsonObject
                {
                    ["name"] = $"{d.Plural}/{sub}",
                    ["singularName"] = "",
                    ["namespaced"] = d.Namespaced,
                };
                if (g != d.Group || v != d.Version) { s["group"] = g; s["version"] = v; }
                s["kind"] = kind;
                s["verbs"] = Strings(verbs);
                resources.Add(s);
            }
        }
        foreach (var r in _virtual.Where(r => r.Group == group && r.Version == version))
        {
            resources.Add(new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = Strings(r.Verbs),
            });
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private JsonObject Aggregated(bool core, string discoveryVersion)
    {
        var items = new JsonArray();
        foreach (var group in core ? [""] : Groups())
        {
            var versions = new JsonArray();
            foreach (var version in VersionsOf(group))
            {
                var resources = new JsonArray();
                foreach (var d in _catalog.All.Where(d => d.Group == group && d.Version == version))
                {
                    var r = new JsonObject
                    {
                        ["resource"] = d.Plural,
                        ["responseKind"] = Gvk(d.Group, d.Version, d.Kind),
                        ["scope"] = d.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = d.Singular,
                        ["verbs"] = Strings(d.Verbs),
                    };
                    if (d.ShortNames.Count > 0) r["shortNames"] = Strings(d.ShortNames);
                    if (d.Categories.Count > 0) r["categories"] = Strings(d.Categories);
                    if (d.Subresources.Count > 0)
                    {
                        r["subresources"] = new JsonArray([.. d.Subresources.Select(sub =>
                        {
                            var (g, v, kind, verbs) = SubresourceShape(d, sub);
                            return (JsonNode)new JsonObject { ["subresource"] = sub, ["responseKind"] = Gvk(g, v, kind), ["verbs"] = Strings(verbs) };
                        })]);
                    }
                    resources.Add(r);
                }
                foreach (var r in _virtual.Where(r => r.Group == group && r.Version == version))
                {
                    resources.Add(new JsonObject
                    {
                        ["resource"] = r.Plural,
                        ["responseKind"] = Gvk(r.Group, r.Version, r.Kind),
                        ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
                        ["singularResource"] = r.Singular,
                        ["verbs"] = Strings(r.Verbs),
                    });
                }
                versions.Add(new JsonObject { ["version"] = version, ["resources"] = resources, ["freshness"] = "Current" });
            }
            items.Add(new JsonObject { ["metadata"] = new JsonObject { ["name"] = group }, ["versions"] = versions });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/" + discoveryVersion,
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    /// <summary>What a subresource answers with and which verbs it takes (facts from kube-apiserver's discovery).</summary>
    public static (string Group, string Version, string Kind, string[] Verbs) SubresourceShape(ResourceDescriptor d, string sub) => sub switch
    {
        "status" => (d.Group, d.Version, d.Kind, ["get", "patch", "update"]),
        "eviction" => ("policy", "v1", "Eviction", ["create"]),
        "binding" => (d.Group, d.Version, "Binding", ["create"]),
        "log" => (d.Group, d.Version, d.Kind, ["get"]),
        "exec" => (d.Group, d.Version, "PodExecOptions", ["create", "get"]),
        "attach" => (d.Group, d.Version, "PodAttachOptions", ["create", "get"]),
        "portforward" => (d.Group, d.Version, "PodPortForwardOptions", ["create", "get"]),
        _ => (d.Group, d.Version, d.Kind, ["get"]),
    };

    private static JsonObject Gvk(string g, string v, string k) => new() { ["group"] = g, ["version"] = v, ["kind"] = k };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node);
}
