using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Selectors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Generic;

/// <summary>Turns labelSelector/fieldSelector parameters into one predicate over cached versions (null = everything).</summary>
internal static class Selectors
{
    public static Func<ObjectVersion, bool>? Build(ResourceDescriptor d, string? labelSelector, string? fieldSelector)
    {
        var labels = LabelSelector.Parse(labelSelector);
        var fields = FieldSelector.Parse(fieldSelector);
        foreach (var f in fields.Fields)
        {
            var known = f == "metadata.name" || (f == "metadata.namespace" && d.Namespaced) || d.SelectableFields.Contains(f);
            if (!known)
                throw ApiError.BadRequest($"field label not supported: {f}");
        }
        if (labels.IsEmpty && fields.IsEmpty) return null;
        if (fields.IsEmpty) return ov => labels.Matches(ov.Labels);
        if (labels.IsEmpty) return ov => fields.Matches(ov.Fields);
        return ov => labels.Matches(ov.Labels) && fields.Matches(ov.Fields);
    }
}
