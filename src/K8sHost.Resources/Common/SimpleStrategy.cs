using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;

namespace K8sHost.Resources.Common;

/// <summary>
/// Base for kinds without a status stanza and with one name rule: validation is the name plus the kind's own checks,
/// and every IResourceStrategy hook not overridden keeps the contract's default. A kind declares its
/// <see cref="ObjectDefaults"/> once, in the constructor; they run before every prepare hook (create, update, status
/// update), as kube-apiserver defaults a body when it decodes it, before the strategy sees it.
/// </summary>
internal abstract class SimpleStrategy(Checks.NameRule nameRule, ObjectDefaults? defaults = null) : IResourceStrategy
{
    public virtual bool HasStatus => false;

    /// <summary>None: kube sets metadata.generation only on kinds whose strategy tracks it (pods, services, workloads);
    /// configmaps, secrets, nodes, namespaces, events, endpoints and leases carry no generation.</summary>
    public virtual IReadOnlyList<string> SpecFields => [];

    void IResourceStrategy.PrepareForCreate(StrategyContext ctx, JsonObject obj)
    {
        defaults?.Invoke(obj);
        PrepareForCreate(ctx, obj);
    }

    void IResourceStrategy.PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        defaults?.Invoke(obj);
        PrepareForUpdate(ctx, obj, old);
    }

    void IResourceStrategy.PrepareForStatusUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        defaults?.Invoke(obj);
        StatusWrites.KeepAllButStatus(obj, old);
    }

    public virtual void PrepareForCreate(StrategyContext ctx, JsonObject obj) { if (HasStatus) obj.Remove("status"); }

    public virtual void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        if (!HasStatus) return;
        var s = old["status"]?.DeepClone();
        if (s is null) obj.Remove("status"); else obj["status"] = s;
    }

    public IEnumerable<FieldError> Validate(StrategyContext ctx, JsonObject obj) =>
        Checks.Name(obj, nameRule).Concat(ValidateKind(obj)).ToList();

    public virtual IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) => Validate(ctx, obj);

    protected virtual IEnumerable<FieldError> ValidateKind(JsonObject obj) => [];

    public virtual IReadOnlyDictionary<string, string> GetFields(JsonObject obj) => new Dictionary<string, string>();

    public abstract IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now);
}
