namespace K8sHost.Api.Discovery;

/// <summary>
/// A resource served by its own endpoint instead of the generic registry (the create-only access reviews): it is
/// listed in discovery like a catalog kind but has no storage, watch, table or OpenAPI schema. Register instances in
/// DI; <see cref="DiscoveryDocuments"/> merges them into the group/version documents.
/// </summary>
public sealed record VirtualResource(string Group, string Version, string Kind, string Plural, string Singular, bool Namespaced,
    IReadOnlyList<string> Verbs)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";
}
