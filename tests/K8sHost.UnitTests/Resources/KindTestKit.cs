using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;

namespace K8sHost.UnitTests.Resources;

/// <summary>Shared helpers for strategy tests: a fixed clock, contexts, JSON literals and rendered field errors.</summary>
internal static class KindTestKit
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    public static StrategyContext Ctx(ResourceDescriptor d, IServiceProvider? services = null, Tenant? tenant = null) =>
        new(new RequestContext(tenant ?? Tenant.Default, UserInfo.Anonymous), d, false, Now) { Services = services };

    /// <summary>Parses a JSON literal written with single quotes for readability.</summary>
    public static JsonObject Obj(string json) => JsonNode.Parse(json.Replace('\'', '"'))!.AsObject();

    /// <summary>"field: message" lines, as kubectl prints the causes of a 422.</summary>
    public static List<string> Render(IEnumerable<FieldError> errors) => errors.Select(e => $"{e.Field}: {e.Message}").ToList();

    public static string Ago(TimeSpan t) => K8sHost.ApiMachinery.Time.KubeTime.Format(Now - t);

    /// <summary>A service container holding exactly the given instances, as the server's DI would resolve them.</summary>
    public sealed class Services(params object[] instances) : IServiceProvider
    {
        public object? GetService(Type serviceType) => instances.FirstOrDefault(serviceType.IsInstanceOfType);
    }
}
