using K8sHost.Api.Auth.Authorization;
using K8sHost.Api.Discovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace K8sHost.Api.Reviews;

public static class ReviewServiceCollectionExtensions
{
    /// <summary>The reviews' discovery entries and a permissive default authorizer for hosts that compose the API without AddK8sAuthorization.</summary>
    public static IServiceCollection AddK8sReviews(this IServiceCollection services)
    {
        services.TryAddSingleton<IAuthorizer, AlwaysAllowAuthorizer>();
        foreach (var r in ReviewResources.All) services.AddSingleton(r);
        return services;
    }
}
