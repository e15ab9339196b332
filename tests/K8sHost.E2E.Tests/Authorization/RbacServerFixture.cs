using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;

namespace K8sHost.E2E.Tests.Authorization;

/// <summary>
/// One real server (default flags: RBAC, anonymous off) with a static token file of plain users, none of them in
/// system:masters, and a namespace "team" where tests bind roles. The admin token stays the only superuser.
/// </summary>
public sealed class RbacServerFixture : IAsyncLifetime
{
    public static readonly string[] Users = ["alice", "bob", "carol", "viewer", "editor", "nsadmin", "root", "escalator", "binder", "agg", "dana"];

    public ServerProcess Server { get; }
    public Infrastructure.Kubectl Kubectl => new(Server);

    public RbacServerFixture()
    {
        var dir = Directory.CreateTempSubdirectory("rbac-tokens-").FullName;
        var file = Path.Combine(dir, "tokens.csv");
        File.WriteAllText(file, string.Concat(Users.Select((u, i) => $"{Token(u)},{u},{2000 + i},\"team-{u}\"\n")));
        Server = new ServerProcess(null, "--token-auth-file", file);
    }

    public static string Token(string user) => $"{user}-token-0123456789";

    public async Task InitializeAsync()
    {
        await Server.StartAsync();
        await Kubectl.OkAsync("create namespace team");
        await Kubectl.OkAsync("create namespace other");
        await Kubectl.OkAsync("create rolebinding viewer-view --clusterrole=view --user=viewer -n team");
        await Kubectl.OkAsync("create rolebinding editor-edit --clusterrole=edit --user=editor -n team");
        await Kubectl.OkAsync("create rolebinding nsadmin-admin --clusterrole=admin --user=nsadmin -n team");
        await Kubectl.OkAsync("create clusterrolebinding root-cluster-admin --clusterrole=cluster-admin --user=root");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public HttpClient As(string user)
    {
        var c = Server.CreateClient(authenticated: false);
        c.DefaultRequestHeaders.Authorization = new("Bearer", Token(user));
        return c;
    }

    /// <summary>kubectl acting as a token-file user (the admin kubeconfig's server and CA, the user's token).</summary>
    public Task<ProcessResult> KubectlAs(string user, string args, string? stdin = null) =>
        Kubectl.RunAsync(Infrastructure.Kubectl.SplitArgs(args).Prepend(Token(user)).Prepend("--token"), stdin);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonNode> StatusOf(HttpResponseMessage r, HttpStatusCode expected)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True(expected == r.StatusCode, $"expected {(int)expected}, got {(int)r.StatusCode}: {text}");
        var body = JsonNode.Parse(text)!;
        Assert.Equal("Status", (string?)body["kind"]);
        Assert.Equal((int)expected, (int)body["code"]!);
        return body;
    }
}
