using System.Net;
using System.Net.Sockets;
using k8s;
using k8s.Models;

namespace K8sHost.Testing.Tests;

public sealed class StartAndClientTests
{
    [Fact]
    public async Task StartAsync_returns_a_client_that_creates_and_reads_objects_over_verified_tls_on_loopback()
    {
        await using var api = await TestApiServer.StartAsync();

        Assert.Equal("https", api.BaseAddress.Scheme);
        Assert.Equal("127.0.0.1", api.BaseAddress.Host);
        Assert.NotEqual(0, api.BaseAddress.Port);
        var cluster = Assert.Single(api.Kubeconfig.Clusters);
        Assert.False(cluster.ClusterEndpoint.SkipTlsVerify);
        Assert.False(string.IsNullOrEmpty(cluster.ClusterEndpoint.CertificateAuthorityData));

        await api.Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new() { Name = "hello" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "default");
        var read = await api.Client.CoreV1.ReadNamespacedConfigMapAsync("hello", "default");
        Assert.Equal("v", read.Data["k"]);
        Assert.False(string.IsNullOrEmpty(read.Metadata.Uid));
    }

    [Fact]
    public async Task KubeconfigPath_is_a_file_the_sdk_loads_into_a_working_client()
    {
        await using var api = await TestApiServer.StartAsync();

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(api.KubeconfigPath);
        using var fromFile = new Kubernetes(config);
        var namespaces = await fromFile.CoreV1.ListNamespaceAsync();

        Assert.Equal(api.BaseAddress.ToString().TrimEnd('/'), config.Host.TrimEnd('/'));
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "default");
        Assert.Contains(namespaces.Items, n => n.Metadata.Name == "kube-system");
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_servers_ca_is_refused_at_the_tls_handshake()
    {
        await using var api = await TestApiServer.StartAsync();

        using var untrusting = new HttpClient { BaseAddress = api.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => untrusting.GetAsync("/version"));

        Assert.Equal(HttpRequestError.SecureConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task DisposeAsync_stops_listening_and_deletes_the_data_directory()
    {
        var api = await TestApiServer.StartAsync();
        var dataDir = Path.GetDirectoryName(api.KubeconfigPath)!;
        var port = api.BaseAddress.Port;
        Assert.True(Directory.Exists(dataDir));

        await api.DisposeAsync();

        Assert.False(Directory.Exists(dataDir));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await api.DisposeAsync(); // a second dispose is harmless
    }

    [Fact]
    public async Task Initial_manifests_files_and_typed_objects_are_applied_before_StartAsync_returns()
    {
        var file = Path.Combine(Path.GetTempPath(), $"k8shost-testing-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: from-file
            """);
        try
        {
            await using var api = await TestApiServer.StartAsync(o =>
            {
                o.InitialManifestFiles.Add(file);
                o.InitialManifests.Add("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata:
                      name: from-yaml
                      namespace: from-file
                    data:
                      replicas: "3"
                    ---
                    {"apiVersion":"v1","kind":"Secret","metadata":{"name":"from-json"},"stringData":{"password":"s3cret"}}
                    """);
                o.InitialObjects.Add(new V1ServiceAccount { Metadata = new() { Name = "typed", NamespaceProperty = "from-file" } });
            });

            var cm = await api.Client.CoreV1.ReadNamespacedConfigMapAsync("from-yaml", "from-file");
            var secret = await api.Client.CoreV1.ReadNamespacedSecretAsync("from-json", "default");
            var sa = await api.Client.CoreV1.ReadNamespacedServiceAccountAsync("typed", "from-file");

            Assert.Equal("3", cm.Data["replicas"]);
            Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(secret.Data["password"]));
            Assert.Contains(sa.Metadata.ManagedFields, m => m.Manager == TestApiServer.FieldManager && m.Operation == "Apply");
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public async Task StartAsync_fails_and_cleans_up_when_an_initial_manifest_is_invalid()
    {
        string? dataDir = null;

        var error = await Assert.ThrowsAsync<TestApiServerRequestException>(() => TestApiServer.StartAsync(o =>
        {
            o.InitialManifests.Add("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_A_Valid_Name\n");
            o.ConfigureServer = b => dataDir = b.Configuration["Server:DataDir"];
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.StatusCode);
        Assert.Equal("Invalid", error.Reason);
        Assert.NotNull(dataDir);
        Assert.False(Directory.Exists(dataDir));
    }
}
