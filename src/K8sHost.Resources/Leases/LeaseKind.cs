using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Leases;

internal sealed class LeaseStrategy() : SimpleStrategy(Checks.NameRule.Subdomain, obj => J.Ensure(obj, "spec"))
{
    protected override IEnumerable<FieldError> ValidateKind(JsonObject obj)
    {
        if (J.Long(obj, "spec", "leaseDurationSeconds") is <= 0 and var d)
            yield return FieldError.Invalid("spec.leaseDurationSeconds", d, "must be greater than 0");
        if (J.Long(obj, "spec", "leaseTransitions") is < 0 and var t)
            yield return FieldError.Invalid("spec.leaseTransitions", t, "must be greater than or equal to 0");
    }

    public override IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now) =>
        [J.S(obj, "metadata", "name"), J.S(obj, "spec", "holderIdentity"), Cells.Age(obj, now)];
}

public static class LeaseKind
{
    public static ResourceDescriptor Descriptor { get; } = new()
    {
        Group = "coordination.k8s.io",
        Version = "v1",
        Kind = "Lease",
        Plural = "leases",
        Singular = "lease",
        ModelType = typeof(k8s.Models.V1Lease),
        Columns = [Col.Name, Col.S("Holder", "The holder of the lease"), Col.Age],
        Strategy = new LeaseStrategy(),
    };
}
