using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.ServiceAccounts;

internal sealed class ServiceAccountStrategy() : SimpleStrategy(Checks.NameRule.Subdomain)
{
    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) =>
        [J.S(obj, "metadata", "name"), (long)J.Objs(obj, "secrets").Count, Cells.Age(obj, now)];
}

public static class ServiceAccountKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "",
        Version = "v1",
        Kind = "ServiceAccount",
        Plural = "serviceaccounts",
        Singular = "serviceaccount",
        ShortNames = ["sa"],
        ModelType = typeof(k8s.Models.V1ServiceAccount),
        Columns = [Col.Name, Col.S("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), Col.Age],
        Strategy = new ServiceAccountStrategy(),
    };
}
