using System.Net;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>
/// What the user-facing bootstrap roles allow, bound in namespace "team" (view, edit, admin) or cluster-wide
/// (cluster-admin), checked with real requests. The table follows kube-apiserver v1.35's published bootstrap policy:
/// view reads most namespaced objects but not secrets, edit writes them and reads secrets, admin also manages roles
/// and role bindings; none of the namespaced grants reach other namespaces or cluster-scoped kinds.
/// </summary>
[Collection("rbac")]
public sealed class BootstrapRoleMatrixTests(RbacServerFixture fx)
{
    // user order: viewer, editor, nsadmin, root
    public static TheoryData<string, string, string> Cases => new()
    {
        { "GET", "/api/v1/namespaces/team/pods", "YYYY" },
        { "GET", "/api/v1/namespaces/team/pods?watch=true&timeoutSeconds=1", "YYYY" },
        { "GET", "/api/v1/namespaces/team/pods/missing/log", "YYYY" },
        { "GET", "/api/v1/namespaces/team/configmaps", "YYYY" },
        { "GET", "/api/v1/namespaces/team/services", "YYYY" },
        { "GET", "/api/v1/namespaces/team/serviceaccounts", "YYYY" },
        { "GET", "/api/v1/namespaces/team/endpoints", "YYYY" },
        { "GET", "/apis/discovery.k8s.io/v1/namespaces/team/endpointslices", "YYYY" },
        { "GET", "/api/v1/namespaces/team/events", "YYYY" },
        { "GET", "/api/v1/namespaces/team", "YYYY" },
        { "GET", "/api/v1/namespaces/team/secrets", "NYYY" },
        { "GET", "/apis/coordination.k8s.io/v1/namespaces/team/leases", "NYYY" },
        { "POST", "/api/v1/namespaces/team/configmaps", "NYYY" },
        { "DELETE", "/api/v1/namespaces/team/pods", "NYYY" },
        { "PATCH", "/api/v1/namespaces/team/services/missing", "NYYY" },
        { "POST", "/api/v1/namespaces/team/pods/missing/eviction", "NYYY" },
        { "GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/roles", "NNYY" },
        { "GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", "NNYY" },
        { "PUT", "/api/v1/namespaces/team/pods/missing/status", "NNNY" },
        { "GET", "/apis/events.k8s.io/v1/namespaces/team/events", "NNNY" },
        { "DELETE", "/api/v1/namespaces/not-there", "NNNY" },
        { "GET", "/api/v1/namespaces/other/pods", "NNNY" },
        { "GET", "/api/v1/pods", "NNNY" },
        { "GET", "/api/v1/nodes", "NNNY" },
        { "POST", "/api/v1/namespaces", "NNNY" },
        { "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles", "NNNY" },
        { "GET", "/metrics", "NNNY" },
        { "GET", "/api", "YYYY" },
        { "GET", "/version", "YYYY" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BootstrapRole_AllowsAndDenies_AsTheUpstreamPolicy(string method, string path, string expected)
    {
        string[] users = ["viewer", "editor", "nsadmin", "root"];
        for (var i = 0; i < users.Length; i++)
        {
            using var client = fx.As(users[i]);
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT") request.Content = RbacServerFixture.Json("{}");
            if (method == "PATCH") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/merge-patch+json");
            using var r = await client.SendAsync(request);
            var body = await r.Content.ReadAsStringAsync();
            if (expected[i] == 'Y')
                Assert.True(r.StatusCode != HttpStatusCode.Forbidden, $"{users[i]} {method} {path}: {body}");
            else
            {
                Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{users[i]} {method} {path}: {(int)r.StatusCode} {body}");
                Assert.Contains($"User \\\"{users[i]}\\\" cannot", body);
            }
        }
    }

    [Fact]
    public async Task KubectlAuthCanI_AnswersAsTheRequestsAre_WithAsAndWithTheUsersToken()
    {
        Assert.Equal("yes", (await fx.Kubectl.OkAsync("auth can-i list pods -n team --as viewer")).Trim());
        var no = await fx.Kubectl.RunAsync("auth can-i list secrets -n team --as viewer");
        Assert.Equal(1, no.ExitCode);
        Assert.Equal("no", no.StdOut.Trim());
        Assert.Equal("yes", (await fx.Kubectl.OkAsync("auth can-i list secrets -n team --as editor")).Trim());
        Assert.Equal("yes", (await fx.Kubectl.OkAsync("auth can-i create rolebindings -n team --as nsadmin")).Trim());
        Assert.Equal("no", (await fx.Kubectl.RunAsync("auth can-i create rolebindings -n other --as nsadmin")).StdOut.Trim());
        Assert.Equal("yes", (await fx.Kubectl.OkAsync("auth can-i get pods --subresource=log -n team --as viewer")).Trim());

        var own = await fx.KubectlAs("viewer", "auth can-i watch configmaps -n team");
        Assert.Equal(0, own.ExitCode);
        Assert.Equal("yes", own.StdOut.Trim());
        var ownNo = await fx.KubectlAs("viewer", "auth can-i delete configmaps -n team");
        Assert.Equal("no", ownNo.StdOut.Trim());
    }

    [Fact]
    public async Task KubectlAuthCanIList_ShowsTheBoundRolesRules_AndNothingElseWhereUnbound()
    {
        var list = await fx.KubectlAs("viewer", "auth can-i --list -n team");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"(?m)^pods\s+\[\]\s+\[\]\s+\[get list watch\]", list.StdOut);
        Assert.Matches(@"(?m)^selfsubjectaccessreviews\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]", list.StdOut);
        Assert.DoesNotMatch(@"(?m)^secrets\s", list.StdOut);

        var elsewhere = await fx.Kubectl.OkAsync("auth can-i --list -n other --as viewer");
        Assert.DoesNotMatch(@"(?m)^pods\s", elsewhere);
        Assert.Matches(@"(?m)^\s+\[/api\]\s+\[\]\s+\[get\]", elsewhere);
    }
}
