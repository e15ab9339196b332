using K8sHost.Testing;

namespace ConfigMapMirror.Tests;

/// <summary>
/// One API server and one running operator shared by every test of a class (xunit class fixture); each test works in a
/// namespace of its own, so tests do not see each other's objects.
/// </summary>
public sealed class OperatorFixture : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private Task _operatorLoop = Task.CompletedTask;

    public TestApiServer Api { get; private set; } = null!;

    public MirrorOperator Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await TestApiServer.StartAsync();
        Operator = new MirrorOperator(Api.Client);
        _operatorLoop = Task.Run(() => Operator.RunAsync(_stop.Token));
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = "t-" + Guid.NewGuid().ToString("N")[..10];
        await Api.ApplyYamlAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n");
        return name;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _operatorLoop.WaitAsync(TimeSpan.FromSeconds(10));
        await Api.DisposeAsync();
        _stop.Dispose();
    }
}
