using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Contracts;
using Xunit;
using static K8sHost.UnitTests.Registry.RegistryHarness;

namespace K8sHost.UnitTests.Registry;

public sealed class RegistryApplyTests
{
    private const string PodYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          labels:
            app: web
        spec:
          containers:
          - name: x
            image: nginx:1
        """;

    private static Task<WriteResult> Apply(RegistryHarness h, string body, string? manager, bool force = false, bool dryRun = false) =>
        h.Registry.PatchAsync(h.Rc, TestKinds.Pods, "default", "web", null, Patch(PatchType.Apply, body),
            new WriteOptions { FieldManager = manager, Force = force, DryRun = dryRun }, Ct);

    private static JsonArray ManagedFieldsOf(ObjectVersion ov) => (JsonArray)ov.Json()["metadata"]!["managedFields"]!;

    [Fact]
    public async Task Apply_Missing_CreatesWithManagedFields()
    {
        await using var h = await StartAsync();
        var result = await Apply(h, PodYaml, "kubectl");
        Assert.True(result.Created);
        var entry = Assert.Single(ManagedFieldsOf(result.Object))!.AsObject();
        Assert.Equal("kubectl", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.NotNull(entry["time"]);
        var image = entry["fieldsV1"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"x\"}"]!["f:image"];
        Assert.NotNull(image);
        Assert.NotNull(entry["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:app"]);
    }

    [Fact]
    public async Task Apply_WithoutFieldManager_Returns400()
    {
        await using var h = await StartAsync();
        var e = await Assert.ThrowsAsync<ApiError>(() => Apply(h, PodYaml, null));
        Assert.Equal(400, e.Code);
    }

    [Fact]
    public async Task Apply_Existing_MergesOntoLiveObject()
    {
        await using var h = await StartAsync();
        await Apply(h, PodYaml, "kubectl");
        await h.Registry.PatchAsync(h.Rc, TestKinds.Pods, "default", "web", null,
            Patch(PatchType.Merge, """{"metadata":{"annotations":{"kept":"yes"}}}"""), new WriteOptions(), Ct);
        var second = await Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "kubectl");
        Assert.False(second.Created);
        Assert.Equal("nginx:2", second.Object.At("spec", "containers", "0", "image"));
        Assert.Equal("yes", second.Object.At("metadata", "annotations", "kept"));
    }

    [Fact]
    public async Task Apply_SameConfigTwice_DoesNotWrite()
    {
        await using var h = await StartAsync();
        var first = await Apply(h, PodYaml, "kubectl");
        var second = await Apply(h, PodYaml, "kubectl");
        Assert.Equal(first.Object.Revision, second.Object.Revision);
    }

    [Fact]
    public async Task Apply_FieldOwnedByAnotherManager_Returns409UnlessForced()
    {
        await using var h = await StartAsync();
        await Apply(h, PodYaml, "kubectl");
        var e = await Assert.ThrowsAsync<ApiError>(() => Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "helm"));
        Assert.Equal(409, e.Code);
        Assert.Equal("Conflict", e.Reason);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.containers[name=\"x\"].image", e.Message);

        var agreeing = await Apply(h, PodYaml, "helm"); // same values: shared ownership, no conflict
        Assert.Equal(2, ManagedFieldsOf(agreeing.Object).Count);

        var forced = await Apply(h, PodYaml.Replace("nginx:1", "nginx:3"), "helm", force: true);
        Assert.Equal("nginx:3", forced.Object.At("spec", "containers", "0", "image"));
        var kubectl = ManagedFieldsOf(forced.Object).Single(m => m!["manager"]!.GetValue<string>() == "kubectl")!;
        Assert.Null(kubectl["fieldsV1"]!["f:spec"]?["f:containers"]?["k:{\"name\":\"x\"}"]?["f:image"]);
    }

    [Fact]
    public async Task Apply_JsonBody_AndDryRun_DoNotStore()
    {
        await using var h = await StartAsync();
        var json = """{"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},"spec":{"containers":[{"name":"x","image":"nginx"}]}}""";
        var dry = await Apply(h, json, "kubectl", dryRun: true);
        Assert.True(dry.Created);
        var e = await Assert.ThrowsAsync<ApiError>(() => h.Registry.GetAsync(h.Rc, TestKinds.Pods, "default", "web", new GetOptions(), Ct));
        Assert.Equal(404, e.Code);
    }

    [Fact]
    public async Task Apply_FieldDroppedFromConfig_IsRemovedUnlessAnotherManagerOwnsIt()
    {
        await using var h = await StartAsync();
        var withExtra = PodYaml.Replace("    app: web", "    app: web\n    tier: front\n    shared: s");
        await Apply(h, withExtra, "kubectl");
        await Apply(h, PodYaml.Replace("    app: web", "    app: web\n    shared: s"), "helm"); // co-owns "shared"
        var result = await Apply(h, PodYaml, "kubectl");
        Assert.Null(result.Object.At("metadata", "labels", "tier"));
        Assert.Equal("s", result.Object.At("metadata", "labels", "shared"));
        Assert.Equal("web", result.Object.At("metadata", "labels", "app"));
    }

    [Fact]
    public async Task Put_WithoutManagedFields_KeepsRecordedOwners()
    {
        await using var h = await StartAsync();
        var applied = await Apply(h, PodYaml, "kubectl");
        var body = applied.Object.Json();
        body["metadata"]!.AsObject().Remove("managedFields");
        body["metadata"]!["labels"]!["extra"] = "1";
        var put = await h.Registry.UpdateAsync(h.Rc, TestKinds.Pods, "default", "web", null, body, new WriteOptions(), Ct);
        Assert.Single(ManagedFieldsOf(put.Object));
    }

    [Fact]
    public async Task UpdateManagers_OwnWhatTheyChanged_AndApplyConflictsWithThem()
    {
        await using var h = await StartAsync();
        var body = Obj("""{"metadata":{"name":"web","labels":{"app":"web"}},"spec":{"containers":[{"name":"x","image":"nginx:1"}]}}""");
        var created = await h.Registry.CreateAsync(h.Rc, TestKinds.Pods, "default", body, new WriteOptions { FieldManager = "kubectl-create" }, Ct);
        var createEntry = Assert.Single(ManagedFieldsOf(created.Object))!;
        Assert.Equal("Update", createEntry["operation"]!.GetValue<string>());

        var edit = created.Object.Json();
        edit["metadata"]!["labels"]!["app"] = "edited";
        var edited = await h.Registry.UpdateAsync(h.Rc, TestKinds.Pods, "default", "web", null, edit,
            new WriteOptions { FieldManager = "kubectl-edit" }, Ct);
        var owners = ManagedFieldsOf(edited.Object).ToDictionary(e => e!["manager"]!.GetValue<string>(), e => e!["fieldsV1"]!);
        Assert.NotNull(owners["kubectl-edit"]["f:metadata"]!["f:labels"]!["f:app"]);
        Assert.Null(owners["kubectl-create"]["f:metadata"]?["f:labels"]?["f:app"]);

        var e = await Assert.ThrowsAsync<ApiError>(() => Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "kubectl"));
        Assert.Equal(409, e.Code);
        Assert.StartsWith("Apply failed with 2 conflicts: ", e.Message);
        Assert.Contains(e.Causes, c => c.Message == "conflict with \"kubectl-create\" using v1" && c.Field == ".spec.containers[name=\"x\"].image");
        Assert.Contains(e.Causes, c => c.Message == "conflict with \"kubectl-edit\" using v1" && c.Field == ".metadata.labels.app");
    }

    // --- server-side apply by "kubectl" over an object created by client-side apply (kubectl apply without --server-side)

    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    /// <summary>What `kubectl apply` (client-side) stores: the config in the annotation, written by Update manager
    /// "kubectl-client-side-apply", which so owns every field it set.</summary>
    private static async Task<ObjectVersion> CreateByClientSideApplyAsync(RegistryHarness h)
    {
        var config = """{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"containers":[{"image":"nginx:1","name":"x"}]}}""";
        var body = Obj(config);
        body["metadata"]!["annotations"] = new JsonObject { [LastApplied] = config + "\n" };
        var created = await h.Registry.CreateAsync(h.Rc, TestKinds.Pods, "default", body,
            new WriteOptions { FieldManager = "kubectl-client-side-apply" }, Ct);
        return created.Object;
    }

    private static JsonNode? FieldsOf(ObjectVersion ov, string manager) =>
        ManagedFieldsOf(ov).SingleOrDefault(m => m!["manager"]!.GetValue<string>() == manager)?["fieldsV1"];

    [Fact]
    public async Task ApplyByKubectl_OverFieldsSetByClientSideApply_TakesThemOverWithoutConflict()
    {
        await using var h = await StartAsync();
        await CreateByClientSideApplyAsync(h);

        var result = await Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "kubectl");

        Assert.Equal("nginx:2", result.Object.At("spec", "containers", "0", "image"));
        Assert.NotNull(FieldsOf(result.Object, "kubectl")!["f:spec"]!["f:containers"]!["k:{\"name\":\"x\"}"]!["f:image"]);
        Assert.Null(FieldsOf(result.Object, "kubectl-client-side-apply")?["f:spec"]?["f:containers"]?["k:{\"name\":\"x\"}"]?["f:image"]);
    }

    [Fact]
    public async Task ApplyByKubectl_WhenTheAnnotationExists_RewritesItToTheAppliedConfiguration()
    {
        await using var h = await StartAsync();
        await CreateByClientSideApplyAsync(h);

        var result = await Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "kubectl");

        // Compact JSON with sorted keys, as kubectl writes it, of exactly what was applied.
        Assert.Equal("""{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"web"},"name":"web"},"spec":{"containers":[{"image":"nginx:2","name":"x"}]}}""",
            result.Object.At("metadata", "annotations", LastApplied));
    }

    [Fact]
    public async Task ApplyByKubectl_WithoutTheAnnotation_DoesNotAddIt()
    {
        await using var h = await StartAsync();
        await Apply(h, PodYaml, "kubectl");

        var result = await Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "kubectl");

        Assert.Null(result.Object.Json()["metadata"]!["annotations"]?[LastApplied]);
    }

    [Fact]
    public async Task ApplyByAnotherManager_OverClientSideAppliedFields_StillConflicts_AndLeavesTheAnnotation()
    {
        await using var h = await StartAsync();
        var created = await CreateByClientSideApplyAsync(h);

        var e = await Assert.ThrowsAsync<ApiError>(() => Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "helm"));
        Assert.Equal(409, e.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: .spec.containers[name=\"x\"].image", e.Message);

        var agreeing = await Apply(h, PodYaml.Replace("    app: web", "    app: web\n    extra: e"), "helm");
        Assert.Equal(created.At("metadata", "annotations", LastApplied), agreeing.Object.At("metadata", "annotations", LastApplied));
    }

    [Fact]
    public async Task ApplyByKubectl_OverAFieldAnUpdateManagerChangedSinceTheClientSideApply_Conflicts()
    {
        await using var h = await StartAsync();
        var created = await CreateByClientSideApplyAsync(h);
        var edit = created.Json();
        edit["spec"]!["containers"]![0]!["image"] = "nginx:5"; // the annotation still says nginx:1
        await h.Registry.UpdateAsync(h.Rc, TestKinds.Pods, "default", "web", null, edit, new WriteOptions { FieldManager = "kubectl-edit" }, Ct);

        var e = await Assert.ThrowsAsync<ApiError>(() => Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "kubectl"));

        Assert.Equal(409, e.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: .spec.containers[name=\"x\"].image", e.Message);
    }

    [Fact]
    public async Task ApplyByKubectl_OverAFieldASecondApplyManagerOwns_Conflicts()
    {
        await using var h = await StartAsync();
        await CreateByClientSideApplyAsync(h);
        await Apply(h, PodYaml.Replace("nginx:1", "nginx:3"), "helm", force: true);

        var e = await Assert.ThrowsAsync<ApiError>(() => Apply(h, PodYaml.Replace("nginx:1", "nginx:2"), "kubectl"));

        Assert.Equal(409, e.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"helm\": .spec.containers[name=\"x\"].image", e.Message);
    }

    [Fact]
    public async Task ApplyByKubectl_WithAllowedAndGenuineConflicts_ReportsOnlyTheGenuineOnes_AndWritesNothing()
    {
        await using var h = await StartAsync();
        var created = await CreateByClientSideApplyAsync(h);
        var edit = created.Json();
        edit["metadata"]!["labels"]!["app"] = "edited";
        var edited = await h.Registry.UpdateAsync(h.Rc, TestKinds.Pods, "default", "web", null, edit,
            new WriteOptions { FieldManager = "kubectl-edit" }, Ct);

        var e = await Assert.ThrowsAsync<ApiError>(() =>
            Apply(h, PodYaml.Replace("nginx:1", "nginx:2").Replace("app: web", "app: mine"), "kubectl"));

        Assert.Equal(409, e.Code);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using v1: .metadata.labels.app", e.Message);
        var live = await h.Registry.GetAsync(h.Rc, TestKinds.Pods, "default", "web", new GetOptions(), Ct);
        Assert.Equal(edited.Object.Revision, live.Revision);
        Assert.Equal("nginx:1", live.At("spec", "containers", "0", "image"));
    }
}
