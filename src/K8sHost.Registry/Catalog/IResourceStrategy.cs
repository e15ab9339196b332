using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Registry.Catalog;

/// <summary>
/// Per-kind behaviour, modelled on apiserver's RESTCreateStrategy/RESTUpdateStrategy. Strategies are stateless and
/// work on the object as a JsonObject (already pruned to the kind's schema, kind/apiVersion set).
///
/// Order on create: generic ObjectMeta defaults (name/generateName, uid, creationTimestamp, generation=1) →
/// <see cref="PrepareForCreate"/> (may mutate: clear status, set defaults) → generic metadata validation +
/// <see cref="Validate"/> (must not mutate) → <see cref="Canonicalize"/> (may mutate) → store.
/// Order on update: generic carry-over of immutable metadata (uid, creationTimestamp, …) →
/// <see cref="PrepareForUpdate"/> or <see cref="PrepareForStatusUpdate"/> (may mutate) → generation bump if spec changed →
/// generic validation + <see cref="ValidateUpdate"/> → <see cref="Canonicalize"/> → store.
/// </summary>
public interface IResourceStrategy
{
    /// <summary>Top-level fields that are "spec" for generation bumping; others (status, metadata) are not.</summary>
    IReadOnlyList<string> SpecFields => ["spec"];

    /// <summary>True when the kind has a status stanza that the main resource must not change.</summary>
    bool HasStatus => true;

    void PrepareForCreate(StrategyContext ctx, JsonObject obj) { if (HasStatus) obj.Remove("status"); }

    /// <summary>Main-resource update: by default status is kept from <paramref name="old"/>.</summary>
    void PrepareForUpdate(StrategyContext ctx, JsonObject obj, JsonObject old)
    {
        if (!HasStatus) return;
        var s = old["status"]?.DeepClone();
        if (s is null) obj.Remove("status"); else obj["status"] = s;
    }

    /// <summary>/status update: everything but status (and metadata labels/annotations changes) comes from <paramref name="old"/>.</summary>
    void PrepareForStatusUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) => StatusWrites.KeepAllButStatus(obj, old);

    IEnumerable<FieldError> Validate(StrategyContext ctx, JsonObject obj) => [];

    IEnumerable<FieldError> ValidateUpdate(StrategyContext ctx, JsonObject obj, JsonObject old) => Validate(ctx, obj);

    void Canonicalize(JsonObject obj) { }

    /// <summary>Values of the descriptor's SelectableFields for this object (metadata.name/namespace are added generically).</summary>
    IReadOnlyDictionary<string, string> GetFields(JsonObject obj) => EmptyFields;

    /// <summary>Cells of one Table row, one per descriptor column, computed from the object; <paramref name="now"/> for ages.</summary>
    IReadOnlyList<object?> GetCells(JsonObject obj, DateTimeOffset now);

    static readonly IReadOnlyDictionary<string, string> EmptyFields = new Dictionary<string, string>();
}
