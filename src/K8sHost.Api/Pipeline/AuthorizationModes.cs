using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Auth.Rbac;
using K8sHost.Resources.Rbac;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace K8sHost.Api.Pipeline;

/// <summary>
/// --authorization-mode: kube-apiserver's comma-separated list, tried in order (AlwaysAllow, AlwaysDeny, Node, RBAC).
/// Modes this server does not implement (ABAC, Webhook) or does not know are refused at start, as kube-apiserver
/// refuses an unknown mode. With RBAC, members of system:masters are allowed first, as upstream does.
/// </summary>
public static class AuthorizationModes
{
    public static readonly IReadOnlyList<string> Supported = ["AlwaysAllow", "AlwaysDeny", "Node", "RBAC"];

    public static IReadOnlyList<string> Parse(string? value)
    {
        var modes = (string.IsNullOrWhiteSpace(value) ? "RBAC" : value)
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        foreach (var m in modes)
            if (!Supported.Contains(m, StringComparer.Ordinal))
                throw new InvalidOperationException(
                    $"--authorization-mode: authorization mode \"{m}\" is not supported (supported: {string.Join(", ", Supported)})");
        if (modes.Distinct(StringComparer.Ordinal).Count() != modes.Length)
            throw new InvalidOperationException($"--authorization-mode: \"{value}\" has mode specified more than once");
        return modes;
    }

    /// <summary>The pipeline's options and the authorizer for <paramref name="modes"/> (replacing any registered one).</summary>
    public static IServiceCollection AddK8sAuthorization(this IServiceCollection services, string? modes, bool anonymousAuth)
    {
        var parsed = Parse(modes);
        services.AddSingleton(new RequestPipelineOptions { AnonymousAuth = anonymousAuth });
        services.TryAddSingleton<RequestInfoResolver>();
        services.TryAddSingleton<RbacPolicySource>();
        services.TryAddSingleton<RbacAuthorizer>();
        services.RemoveAll<IAuthorizer>();
        services.AddSingleton<IAuthorizer>(sp =>
        {
            var members = new List<IAuthorizer>();
            if (parsed.Contains("RBAC")) members.Add(new SuperuserAuthorizer());
            foreach (var m in parsed)
                members.Add(m switch
                {
                    "AlwaysAllow" => new AlwaysAllowAuthorizer(),
                    "AlwaysDeny" => new AlwaysDenyAuthorizer(),
                    "Node" => new NodeAuthorizer(),
                    _ => sp.GetRequiredService<RbacAuthorizer>(),
                });
            return new UnionAuthorizer(members);
        });
        services.TryAddSingleton<IRbacEscalationCheck>(sp => parsed.Contains("RBAC")
            ? new RbacEscalationCheck(sp.GetRequiredService<RbacAuthorizer>(), sp.GetRequiredService<IAuthorizer>())
            : NoEscalationCheck.Instance);
        return services;
    }

    /// <summary>Without RBAC nothing is escalation-checked (AlwaysAllow grants everything anyway).</summary>
    private sealed class NoEscalationCheck : IRbacEscalationCheck
    {
        public static readonly NoEscalationCheck Instance = new();

        public void CheckRole(Registry.Catalog.StrategyContext ctx, System.Text.Json.Nodes.JsonObject role) { }

        public void CheckBinding(Registry.Catalog.StrategyContext ctx, System.Text.Json.Nodes.JsonObject binding) { }
    }
}
