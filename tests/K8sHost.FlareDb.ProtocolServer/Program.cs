using K8sHost.FlareDb.ProtocolServer;

// dotnet run --project tests/K8sHost.FlareDb.ProtocolServer -- --port 2379 [--stores 2] [--split k8s/m,k8s/t]
// PD listens on --port; store n listens on port+n. Stops on Ctrl+C.
var port = 2379;
var stores = 2;
var splits = new List<string> { "k8s/m" };
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--port":
            port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--stores":
            stores = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--split":
            splits = [.. args[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries)];
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}; usage: --port N [--stores N] [--split key1,key2]");
            return 2;
    }
}

await using var server = await FlareDbProtocolTestServer.StartNewAsync(splits, stores, port);
Console.WriteLine($"FlareDB protocol test server: PD on 127.0.0.1:{server.PdPort}, stores on {string.Join(",", server.Info.StorePorts.Select(p => "127.0.0.1:" + p))}; regions split at [{string.Join(", ", splits)}]");
await server.WaitForShutdownAsync();
return 0;
