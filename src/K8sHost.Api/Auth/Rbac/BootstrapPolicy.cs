using System.Text.Json.Nodes;
using K8sHost.Resources.Rbac;

namespace K8sHost.Api.Auth.Rbac;

/// <summary>
/// The default roles and bindings kube-apiserver v1.35 creates (its bootstrap policy): the user-facing roles
/// cluster-admin, admin, edit and view (the last three aggregated from the system:aggregate-to-* roles through
/// aggregationRule), discovery, basic-user and public-info-viewer, and their bindings to system:masters,
/// system:authenticated and system:unauthenticated. Every object carries the autoupdate annotation and the
/// rbac-defaults label, so it is reconciled on each start.
/// </summary>
public static class BootstrapPolicy
{
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] ReadWrite = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static IReadOnlyList<JsonObject> ClusterRoles() =>
    [
        Role("cluster-admin", null, null,
            new PolicyRule(["*"], ["*"], ["*"], [], []),
            new PolicyRule(["*"], [], [], [], ["*"])),
        Role("admin", "rbac.authorization.k8s.io/aggregate-to-admin", null),
        Role("edit", "rbac.authorization.k8s.io/aggregate-to-edit", "rbac.authorization.k8s.io/aggregate-to-admin"),
        Role("view", "rbac.authorization.k8s.io/aggregate-to-view", "rbac.authorization.k8s.io/aggregate-to-edit"),
        Role("system:aggregate-to-admin", null, "rbac.authorization.k8s.io/aggregate-to-admin",
            Rule(["create"], "authorization.k8s.io", "localsubjectaccessreviews"),
            Rule(ReadWrite, "rbac.authorization.k8s.io", "rolebindings", "roles")),
        Role("system:aggregate-to-edit", null, "rbac.authorization.k8s.io/aggregate-to-edit",
            Rule(Read, "", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"),
            Rule(["impersonate"], "", "serviceaccounts"),
            Rule(Write, "", "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"),
            Rule(["create"], "", "pods/eviction"),
            Rule(Write, "", "configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                "secrets", "serviceaccounts", "services", "services/proxy"),
            Rule(["create"], "", "serviceaccounts/token"),
            Rule(Write, "apps", "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale",
                "statefulsets", "statefulsets/scale"),
            Rule(Write, "autoscaling", "horizontalpodautoscalers"),
            Rule(Write, "batch", "cronjobs", "jobs"),
            Rule(Write, "extensions", "daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies",
                "replicasets", "replicasets/scale", "replicationcontrollers/scale"),
            Rule(Write, "policy", "poddisruptionbudgets"),
            Rule(Write, "networking.k8s.io", "ingresses", "networkpolicies"),
            Rule(ReadWrite, "coordination.k8s.io", "leases")),
        Role("system:aggregate-to-view", null, "rbac.authorization.k8s.io/aggregate-to-view",
            Rule(Read, "", "configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"),
            Rule(Read, "", "bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status",
                "resourcequotas", "resourcequotas/status"),
            Rule(Read, "", "namespaces"),
            Rule(Read, "discovery.k8s.io", "endpointslices"),
            Rule(Read, "apps", "controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"),
            Rule(Read, "autoscaling", "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
            Rule(Read, "batch", "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
            Rule(Read, "extensions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses",
                "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"),
            Rule(Read, "policy", "poddisruptionbudgets", "poddisruptionbudgets/status"),
            Rule(Read, "networking.k8s.io", "ingresses", "ingresses/status", "networkpolicies")),
        Role("system:discovery", null, null,
            Urls("/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/")),
        Role("system:basic-user", null, null,
            Rule(["create"], "authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectrulesreviews"),
            Rule(["create"], "authentication.k8s.io", "selfsubjectreviews")),
        Role("system:public-info-viewer", null, null,
            Urls("/healthz", "/livez", "/readyz", "/version", "/version/")),
        Role("system:auth-delegator", null, null,
            Rule(["create"], "authentication.k8s.io", "tokenreviews"),
            Rule(["create"], "authorization.k8s.io", "subjectaccessreviews")),
        Role("system:monitoring", null, null,
            Urls("/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*")),
        Role("system:service-account-issuer-discovery", null, null,
            Urls("/.well-known/openid-configuration", "/openid/v1/jwks")),
    ];

    public static IReadOnlyList<JsonObject> ClusterRoleBindings() =>
    [
        Binding("cluster-admin", "cluster-admin", ("Group", "system:masters")),
        Binding("system:basic-user", "system:basic-user", ("Group", "system:authenticated")),
        Binding("system:discovery", "system:discovery", ("Group", "system:authenticated")),
        Binding("system:public-info-viewer", "system:public-info-viewer", ("Group", "system:authenticated"), ("Group", "system:unauthenticated")),
        Binding("system:monitoring", "system:monitoring", ("Group", "system:monitoring")),
        Binding("system:service-account-issuer-discovery", "system:service-account-issuer-discovery", ("Group", "system:serviceaccounts")),
    ];

    private static PolicyRule Rule(string[] verbs, string group, params string[] resources) => new(verbs, [group], resources, [], []);

    private static PolicyRule Urls(params string[] urls) => new(["get"], [], [], [], urls);

    private static JsonObject Metadata(string name, string? extraLabel) =>
        new()
        {
            ["name"] = name,
            ["annotations"] = new JsonObject { [RbacNames.AutoUpdateAnnotation] = "true" },
            ["labels"] = extraLabel is null
                ? new JsonObject { [RbacNames.BootstrappingLabel] = "rbac-defaults" }
                : new JsonObject { [RbacNames.BootstrappingLabel] = "rbac-defaults", [extraLabel] = "true" },
        };

    private static JsonObject Role(string name, string? aggregateFrom, string? aggregateTo, params PolicyRule[] rules)
    {
        var role = new JsonObject
        {
            ["apiVersion"] = RbacNames.Group + "/v1",
            ["kind"] = "ClusterRole",
            ["metadata"] = Metadata(name, aggregateTo),
            ["rules"] = new JsonArray([.. rules.Select(r => (JsonNode)r.ToJson())]),
        };
        if (aggregateFrom is not null)
            role["aggregationRule"] = new JsonObject
            {
                ["clusterRoleSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { [aggregateFrom] = "true" } }),
            };
        return role;
    }

    private static JsonObject Binding(string name, string role, params (string Kind, string Name)[] subjects) => new()
    {
        ["apiVersion"] = RbacNames.Group + "/v1",
        ["kind"] = "ClusterRoleBinding",
        ["metadata"] = Metadata(name, null),
        ["roleRef"] = new JsonObject { ["apiGroup"] = RbacNames.Group, ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. subjects.Select(s => (JsonNode)new JsonObject
        {
            ["kind"] = s.Kind, ["apiGroup"] = RbacNames.Group, ["name"] = s.Name,
        })]),
    };
}
