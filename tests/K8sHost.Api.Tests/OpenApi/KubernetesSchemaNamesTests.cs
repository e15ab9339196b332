using k8s.Models;
using K8sHost.Api.OpenApi;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

public sealed class KubernetesSchemaNamesTests
{
    [Theory]
    [InlineData(typeof(V1Pod), "io.k8s.api.core.v1.Pod")]
    [InlineData(typeof(V1PodSpec), "io.k8s.api.core.v1.PodSpec")]
    [InlineData(typeof(V1PodTemplateSpec), "io.k8s.api.core.v1.PodTemplateSpec")]
    [InlineData(typeof(V1ObjectMeta), "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")]
    [InlineData(typeof(V1LabelSelector), "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")]
    [InlineData(typeof(V1Status), "io.k8s.apimachinery.pkg.apis.meta.v1.Status")]
    [InlineData(typeof(V1Lease), "io.k8s.api.coordination.v1.Lease")]
    [InlineData(typeof(V1LeaseSpec), "io.k8s.api.coordination.v1.LeaseSpec")]
    [InlineData(typeof(V1EndpointSlice), "io.k8s.api.discovery.v1.EndpointSlice")]
    [InlineData(typeof(Discoveryv1EndpointPort), "io.k8s.api.discovery.v1.EndpointPort")]
    [InlineData(typeof(Corev1EndpointPort), "io.k8s.api.core.v1.EndpointPort")]
    [InlineData(typeof(Eventsv1Event), "io.k8s.api.events.v1.Event")]
    [InlineData(typeof(Corev1Event), "io.k8s.api.core.v1.Event")]
    [InlineData(typeof(V1Eviction), "io.k8s.api.policy.v1.Eviction")]
    [InlineData(typeof(V1Deployment), "io.k8s.api.apps.v1.Deployment")]
    [InlineData(typeof(V1SelfSubjectAccessReview), "io.k8s.api.authorization.v1.SelfSubjectAccessReview")]
    [InlineData(typeof(V1SelfSubjectReview), "io.k8s.api.authentication.v1.SelfSubjectReview")]
    [InlineData(typeof(V1CustomResourceDefinition), "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition")]
    [InlineData(typeof(IntOrString), "io.k8s.apimachinery.pkg.util.intstr.IntOrString")]
    [InlineData(typeof(ResourceQuantity), "io.k8s.apimachinery.pkg.api.resource.Quantity")]
    public void For_ModelType_ReturnsTheUpstreamSchemaName(Type type, string expected) =>
        Assert.Equal(expected, KubernetesSchemaNames.For(type));

    [Fact]
    public void For_NonModelType_ReturnsNull() => Assert.Null(KubernetesSchemaNames.For(typeof(string)));
}
