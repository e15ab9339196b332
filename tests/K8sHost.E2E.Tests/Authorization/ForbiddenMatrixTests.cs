using System.Net;
using K8sHost.Registry.Catalog;
using K8sHost.Resources;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>A user without any binding may do nothing on any served kind: every verb is kube-apiserver's 403.</summary>
[Collection("rbac")]
public sealed class ForbiddenMatrixTests(RbacServerFixture fx)
{
    [Fact]
    public async Task UserWithoutBindings_GetsForbidden_OnEveryVerbOfEveryKind_WithUpstreamWording()
    {
        using var dana = fx.As("dana");
        var checkedCases = 0;
        foreach (var d in BuiltInKinds.All())
        {
            var root = d.Group.Length == 0 ? $"/api/{d.Version}" : $"/apis/{d.Group}/{d.Version}";
            var collection = d.Namespaced ? $"{root}/namespaces/team/{d.Plural}" : $"{root}/{d.Plural}";
            var item = collection + "/x";
            foreach (var verb in d.Verbs)
            {
                var (method, url) = verb switch
                {
                    "get" => (HttpMethod.Get, item),
                    "list" => (HttpMethod.Get, collection),
                    "watch" => (HttpMethod.Get, collection + "?watch=true"),
                    "create" => (HttpMethod.Post, collection),
                    "update" => (HttpMethod.Put, item),
                    "patch" => (HttpMethod.Patch, item),
                    "delete" => (HttpMethod.Delete, item),
                    "deletecollection" => (HttpMethod.Delete, collection),
                    _ => throw new InvalidOperationException(verb),
                };
                using var request = new HttpRequestMessage(method, url);
                if (method == HttpMethod.Post || method == HttpMethod.Put) request.Content = RbacServerFixture.Json("{}");
                if (method == HttpMethod.Patch)
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/merge-patch+json");
                using var r = await dana.SendAsync(request);
                var status = await RbacServerFixture.StatusOf(r, HttpStatusCode.Forbidden);
                Assert.Equal(Expected(d, verb, url == item), (string?)status["message"]);
                Assert.Equal("Forbidden", (string?)status["reason"]);
                Assert.Equal(d.Plural, (string?)status["details"]!["kind"]);
                Assert.Equal(d.Group.Length == 0 ? null : d.Group, (string?)status["details"]!["group"]);
                checkedCases++;
            }
        }
        Assert.True(checkedCases >= 100, $"only {checkedCases} cases");
    }

    [Fact]
    public async Task UserWithoutBindings_IsForbiddenOnUnservedPaths_ButMayReadDiscovery()
    {
        using var dana = fx.As("dana");
        var metrics = await RbacServerFixture.StatusOf(await dana.GetAsync("/metrics"), HttpStatusCode.Forbidden);
        Assert.Equal("forbidden: User \"dana\" cannot get path \"/metrics\"", (string?)metrics["message"]);
        Assert.Null(metrics["details"]);
        // system:discovery is bound to every authenticated user.
        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync("/apis")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync("/api/v1")).StatusCode);
    }

    // The message is built here from kube-apiserver's published format, not from the server's code.
    private static string Expected(ResourceDescriptor d, string verb, bool named)
    {
        var qualified = d.Group.Length == 0 ? d.Plural : $"{d.Plural}.{d.Group}";
        // A namespace's own URL names its namespace, so kube-apiserver scopes it there (RequestInfo sets both).
        var ns = d.Namespaced ? "team" : named && d.Plural == "namespaces" && d.Group.Length == 0 ? "x" : null;
        var scope = ns is null ? "at the cluster scope" : $"in the namespace \"{ns}\"";
        var subject = named ? $"{qualified} \"x\"" : qualified;
        return $"{subject} is forbidden: User \"dana\" cannot {verb} resource \"{d.Plural}\" in API group \"{d.Group}\" {scope}";
    }
}
