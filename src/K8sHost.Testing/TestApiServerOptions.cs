using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;

namespace K8sHost.Testing;

/// <summary>How <see cref="TestApiServer.StartAsync(Action{TestApiServerOptions}?, CancellationToken)"/> sets up its server.</summary>
public sealed class TestApiServerOptions
{
    /// <summary>Who may do what. AlwaysAllow (the default) lets every authenticated caller do everything.</summary>
    public TestAuthorizationMode AuthorizationMode { get; set; } = TestAuthorizationMode.AlwaysAllow;

    /// <summary>Extra identities, written into the token file the server loads with --token-auth-file.
    /// <see cref="TestApiServer.ClientFor"/> returns a client authenticated as one of them.</summary>
    public List<TestUser> Users { get; } = [];

    /// <summary>Declares a user (and its groups) that tests can act as through <see cref="TestApiServer.ClientFor"/>.</summary>
    public TestApiServerOptions AddUser(string name, params string[] groups)
    {
        Users.Add(new TestUser(name, groups));
        return this;
    }

    /// <summary>The tenant (organization/project) the server's clients work in; null = the default tenant.
    /// Every client the server hands out (admin and declared users) is bound to it.</summary>
    public TestTenant? Tenant { get; set; }

    /// <summary>YAML or JSON manifests (multi-document YAML allowed), applied server-side before StartAsync returns.</summary>
    public List<string> InitialManifests { get; } = [];

    /// <summary>Paths of YAML/JSON manifest files, applied server-side before StartAsync returns.</summary>
    public List<string> InitialManifestFiles { get; } = [];

    /// <summary>Typed objects (V1ConfigMap, V1Namespace, …), applied server-side before StartAsync returns, in order.</summary>
    public List<IKubernetesObject> InitialObjects { get; } = [];

    /// <summary>How long the watch cache keeps past events (default 5 minutes). Resumes and continue tokens older
    /// than the window get 410 Gone, as with kube-apiserver's watch cache.</summary>
    public TimeSpan? WatchCacheWindow { get; set; }

    /// <summary>At most this many past events are kept (default 100,000). Small values make 410 Gone easy to provoke.</summary>
    public int? WatchCacheMaxEvents { get; set; }

    /// <summary>Where server logs go. By default they are dropped, so test output stays readable.</summary>
    public Action<ILoggingBuilder>? ConfigureLogging { get; set; }

    /// <summary>Last-chance access to the server's builder (services, configuration) before it is built.</summary>
    public Action<WebApplicationBuilder>? ConfigureServer { get; set; }

    /// <summary>Keeps the temporary data directory after dispose (for post-mortem inspection).</summary>
    public bool KeepDataDirectory { get; set; }
}

/// <summary>An identity tests can act as: its name and groups ("system:authenticated" is added by the server).</summary>
public sealed record TestUser(string Name, IReadOnlyList<string> Groups);

/// <summary>A tenant: every storage key and every object the tenant's callers see is scoped to it.</summary>
public sealed record TestTenant(string Organization, string Project);

/// <summary>The server's authorization mode, as kube-apiserver's --authorization-mode.</summary>
public enum TestAuthorizationMode
{
    /// <summary>Every authenticated request is allowed.</summary>
    AlwaysAllow,

    /// <summary>Roles and bindings decide, with kube-apiserver's bootstrap policy (the admin is in system:masters).</summary>
    RBAC,
}
