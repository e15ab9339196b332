using K8sHost.Registry.Catalog;

namespace K8sHost.Resources.Common;

/// <summary>Column definitions reused by many kinds; descriptions are the ones kube-apiserver sends (ObjectMeta docs).</summary>
internal static class Col
{
    public static readonly PrinterColumn Name = new("Name", Format: "name",
        Description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");

    public static readonly PrinterColumn Age = new("Age",
        Description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata");

    /// <summary>kube's printers declare even count columns (Data, Secrets, Count) as type "string" while sending int64 cells.</summary>
    public static PrinterColumn S(string name, string description = "", int priority = 0) => new(name, Description: description, Priority: priority);
}
