namespace K8sHost.FlareDb.ProtocolServer;

/// <summary>Where the test server listens: PD on one port, each store on its own.</summary>
public sealed record ServerInfo(int PdPort, IReadOnlyList<int> StorePorts);
