using ConfigMapMirror;
using k8s;

// Runs the operator against the cluster of $KUBECONFIG (or ~/.kube/config, or in-cluster) until Ctrl+C.
using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
using var client = new Kubernetes(KubernetesClientConfiguration.BuildDefaultConfig());
Console.WriteLine($"mirroring ConfigMaps labelled {MirrorOperator.EnabledLabel}=true into Secrets");
await new MirrorOperator(client).RunAsync(cts.Token);
