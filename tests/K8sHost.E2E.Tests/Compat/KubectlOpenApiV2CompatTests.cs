using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using static K8sHost.E2E.Tests.Compat.CompatKit;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>
/// What needs /openapi/v2: kubectl validates a `kind: List` on the client (no PATCH operation in v3 declares the List
/// GVK, so the server cannot be asked to validate it), with the gnostic protobuf document it fetches from /openapi/v2.
/// That covers create/apply of a List file and `kubectl edit` of several objects (the editor holds a List).
/// </summary>
[Collection("kubectl")]
public sealed class KubectlOpenApiV2CompatTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    private static string ConfigMapList(string ns, string extraField = "", params string[] names) =>
        "apiVersion: v1\nkind: List\nitems:\n" + string.Concat(names.Select(n => $"""
            - apiVersion: v1
              kind: ConfigMap
              metadata:
                name: {n}
                namespace: {ns}
              data:
                k: v
            {extraField}

            """));

    [Fact]
    public async Task CreateFromAListFile_FetchesTheProtobufV2Document_AndCreatesEveryItem()
    {
        var ns = await NewNamespaceAsync(k, "v2create");

        var r = await k.RunAsync("create -f - --v=6", ConfigMapList(ns, "", "a", "b"));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("configmap/a created", r.StdOut);
        Assert.Contains("configmap/b created", r.StdOut);
        // kubectl only ever asks /openapi/v2 for protobuf; a 200 here means it decoded the document and validated with it.
        Assert.Matches("""verb="GET" url="[^"]+/openapi/v2\?timeout=32s" status="200 OK""", r.StdErr);
        Assert.Equal("a b", (await k.OkAsync($"get cm a b -n {ns} -o jsonpath={{.items[*].metadata.name}}")).Trim());
    }

    [Fact]
    public async Task ApplyOfGetOutputAsAList_ConfiguresEveryItem()
    {
        var ns = await NewNamespaceAsync(k, "v2apply");
        await k.OkAsync("create -f -", ConfigMapList(ns, "", "a", "b"));
        var listed = await k.OkAsync($"get cm a b -n {ns} -o yaml");
        Assert.Contains("kind: List", listed);

        var r = await k.RunAsync("apply -f -", listed.Replace("k: v", "k: applied", StringComparison.Ordinal));

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("configmap/a configured", r.StdOut);
        Assert.Contains("configmap/b configured", r.StdOut);
        Assert.Equal("applied applied", (await k.OkAsync($"get cm a b -n {ns} -o jsonpath={{.items[*].data.k}}")).Trim());
    }

    [Fact]
    public async Task EditOfTwoObjects_PatchesBoth()
    {
        var ns = await NewNamespaceAsync(k, "v2edit");
        await k.OkAsync("create -f -", ConfigMapList(ns, "", "a", "b"));
        using var editor = new ScriptedEditor("s/k: v/k: edited/");

        var r = await k.RunAsync($"edit cm a b -n {ns}", env: new Dictionary<string, string> { ["KUBE_EDITOR"] = editor.Path });

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("configmap/a edited", r.StdOut);
        Assert.Contains("configmap/b edited", r.StdOut);
        Assert.Equal("edited edited", (await k.OkAsync($"get cm a b -n {ns} -o jsonpath={{.items[*].data.k}}")).Trim());
    }

    [Theory]
    [InlineData("")]
    [InlineData("--validate=true")]
    [InlineData("--validate=strict")]
    public async Task CreateFromAListWithAnUnknownField_IsRejectedByClientSideValidation_AndCreatesNothing(string validate)
    {
        var ns = await NewNamespaceAsync(k, "v2bad");

        var r = await k.RunAsync($"create -f - {validate}", ConfigMapList(ns, "  bogus: 1", "a", "b"));

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("""error validating data: ValidationError(ConfigMap): unknown field "bogus" in io.k8s.api.core.v1.ConfigMap""", r.StdErr);
        Assert.Equal("", (await k.OkAsync($"get cm a b -n {ns} --ignore-not-found -o name")).Trim());
    }

    [Fact]
    public async Task CreateFromAListWithAnUnknownField_WithValidationOff_LeavesItToTheServer()
    {
        var ns = await NewNamespaceAsync(k, "v2off");

        var r = await k.RunAsync("create -f - --validate=false", ConfigMapList(ns, "  bogus: 1", "a"));

        // fieldValidation=Ignore: the server drops the unknown field, as kube-apiserver does.
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("configmap/a created", r.StdOut);
    }

    [Fact]
    public async Task CreateOfOneObjectWithAnUnknownField_IsLeftToTheServer_WithoutFetchingV2()
    {
        var ns = await NewNamespaceAsync(k, "v2one");

        var r = await k.RunAsync($"create -f - --validate=true --v=6", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: {ns}\nbogus: 1\n");

        // v3 declares fieldValidation on the ConfigMap PATCH operation, so kubectl asks the server to validate instead.
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("fieldValidation=Strict", r.StdErr);
        Assert.Contains("unknown field \"bogus\"", r.StdErr);
        Assert.DoesNotContain("/openapi/v2", r.StdErr);
    }
}
