using System.Diagnostics;
using K8sHost.E2E.Tests.Infrastructure;
using Xunit;
using static K8sHost.E2E.Tests.Compat.CompatKit;

namespace K8sHost.E2E.Tests.Compat;

/// <summary>kubectl edit, set image, patch (default strategic), run, expose, delete --all and wait --for=delete.</summary>
[Collection("kubectl")]
public sealed class KubectlMutationCompatTests(ServerFixture fx) : IClassFixture<ServerFixture>
{
    private readonly Infrastructure.Kubectl k = fx.Kubectl;

    [Theory]
    [InlineData("KUBE_EDITOR")]
    [InlineData("EDITOR")]
    public async Task Edit_WithAScriptedEditor_PatchesTheImage(string variable)
    {
        var ns = await NewNamespaceAsync(k, "edit");
        await k.OkAsync("apply -f -", Pod("web", ns));
        using var editor = new ScriptedEditor("s/image: nginx:1.27/image: nginx:1.30/");
        // KUBE_EDITOR wins over EDITOR, so blank it when testing EDITOR.
        var env = new Dictionary<string, string> { ["KUBE_EDITOR"] = "", ["EDITOR"] = "", [variable] = editor.Path };
        var r = await k.RunAsync($"edit pod web -n {ns}", env: env);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("pod/web edited", r.StdOut);
        Assert.Equal("nginx:1.30", await ImageOfAsync(k, "web", ns));
    }

    [Fact]
    public async Task Edit_WithoutChanges_IsCancelled()
    {
        var ns = await NewNamespaceAsync(k, "editnoop");
        await k.OkAsync("apply -f -", Pod("web", ns));
        using var editor = new ScriptedEditor("s/no-such-text/x/");
        var r = await k.RunAsync($"edit pod web -n {ns}", env: new Dictionary<string, string> { ["KUBE_EDITOR"] = editor.Path });
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Edit cancelled, no changes made.", r.StdOut + r.StdErr);
    }

    [Fact]
    public async Task SetImage_UpdatesTheNamedContainer()
    {
        var ns = await NewNamespaceAsync(k, "setimage");
        await k.OkAsync("apply -f -", Pod("web", ns));
        Assert.Contains("pod/web image updated", await k.OkAsync($"set image pod/web nginx=nginx:1.31 -n {ns}"));
        Assert.Equal("nginx:1.31", await ImageOfAsync(k, "web", ns));
    }

    [Fact]
    public async Task PatchWithDefaultType_MergesContainersByName()
    {
        var ns = await NewNamespaceAsync(k, "smp");
        await k.OkAsync("apply -f -", Pod("web", ns));
        var output = await k.OkAsync($"patch pod web -n {ns} -p '{{\"spec\":{{\"containers\":[{{\"name\":\"nginx\",\"image\":\"nginx:1.32\"}}]}}}}'");
        Assert.Contains("pod/web patched", output);
        var pod = await GetJsonAsync(k, $"pod web -n {ns}");
        var containers = pod["spec"]!["containers"]!.AsArray();
        Assert.Single(containers);
        Assert.Equal("nginx:1.32", containers[0]!["image"]!.GetValue<string>());
        // Strategic merge keeps the fields the patch did not mention (a merge patch would have replaced the list).
        Assert.Equal(80, containers[0]!["ports"]![0]!["containerPort"]!.GetValue<int>());
        var again = await k.OkAsync($"patch pod web -n {ns} -p '{{\"spec\":{{\"containers\":[{{\"name\":\"nginx\",\"image\":\"nginx:1.32\"}}]}}}}'");
        Assert.Contains("pod/web patched (no change)", again);
    }

    [Fact]
    public async Task Run_CreatesAPodLabelledRun_AndExposeCreatesAServiceSelectingIt()
    {
        var ns = await NewNamespaceAsync(k, "runexpose");
        Assert.Contains("pod/r1 created", await k.OkAsync($"run r1 --image=nginx:1.27 -n {ns}"));
        var pod = await GetJsonAsync(k, $"pod r1 -n {ns}");
        Assert.Equal("r1", pod["metadata"]!["labels"]!["run"]!.GetValue<string>());
        Assert.Equal("nginx:1.27", pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
        Assert.Contains("service/r1 exposed", await k.OkAsync($"expose pod r1 --port=80 -n {ns}"));
        var svc = await k.OkAsync($"get svc r1 -n {ns} -o wide");
        Assert.Matches(@"NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR", svc);
        Assert.Matches(@"(?m)^r1\s+ClusterIP\s+10\.96\.\d+\.\d+\s+<none>\s+80/TCP\s+\S+\s+run=r1\s*$", svc);
    }

    [Fact]
    public async Task DeleteAll_DeletesEveryPodInTheNamespaceOnly()
    {
        var ns = await NewNamespaceAsync(k, "delall");
        var other = await NewNamespaceAsync(k, "delkeep");
        await k.OkAsync("apply -f -", string.Join("\n---\n", Pod("a", ns), Pod("b", ns), Pod("c", ns), Pod("keep", other)));
        var output = await k.OkAsync($"delete pods --all -n {ns}");
        foreach (var name in new[] { "a", "b", "c" })
            Assert.Contains($"pod \"{name}\" deleted from {ns} namespace", output);
        var empty = await k.RunAsync($"get pods -n {ns}");
        Assert.Equal(0, empty.ExitCode);
        Assert.Contains($"No resources found in {ns} namespace.", empty.StdErr);
        Assert.Equal("pod/keep", (await k.OkAsync($"get pods -n {other} -o name")).Trim());
    }

    [Fact]
    public async Task WaitForDelete_ReturnsWhenThePodIsDeleted()
    {
        var ns = await NewNamespaceAsync(k, "waitdel");
        await k.OkAsync("apply -f -", Pod("web", ns));
        var sw = Stopwatch.StartNew();
        var waiting = k.RunAsync($"wait --for=delete pod/web -n {ns} --timeout=30s", timeout: TimeSpan.FromSeconds(45));
        await Task.Delay(1500);
        Assert.False(waiting.IsCompleted, "wait --for=delete returned while the pod still existed");
        await k.OkAsync($"delete pod web -n {ns} --wait=false");
        var r = await waiting;
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("pod/web condition met", r.StdOut);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(25), $"wait took {sw.Elapsed}");
    }

    [Fact]
    public async Task WaitForDelete_OnAPodThatStays_TimesOut()
    {
        var ns = await NewNamespaceAsync(k, "waitto");
        await k.OkAsync("apply -f -", Pod("web", ns));
        var r = await k.RunAsync($"wait --for=delete pod/web -n {ns} --timeout=2s", timeout: TimeSpan.FromSeconds(30));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("timed out waiting for the condition on pods/web", r.StdErr);
    }
}
