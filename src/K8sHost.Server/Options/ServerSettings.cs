using K8sHost.Api;
using K8sHost.Registry.Cache;
using K8sHost.Resources.Services;
using K8sHost.Storage;
using K8sHost.Storage.FlareDb;
using Microsoft.Extensions.Configuration.Memory;

namespace K8sHost.Server.Options;

/// <summary>
/// Every option set of the server and the section it binds from, in one place. Flags all land in "Server" (kube-apiserver's
/// flags are one flat namespace), so the sets that hold flags share it; tunables without flags keep sections of their own.
/// </summary>
public static class ServerSettings
{
    /// <summary>Adds the command line as the highest-precedence source, then binds and validates every set.</summary>
    public static BoundSettings Bind(WebApplicationBuilder builder, CommandLine command)
    {
        AddSources(builder.Configuration, command);
        var sets = new OptionSets(builder.Configuration, builder.Services);
        var server = sets.Bind<ServerOptions>(ServerOptions.Section);
        sets.Bind<ServiceNetworkOptions>(ServerOptions.Section);
        // The store's DataDir is the same "Server:DataDir" key as --data-dir.
        var store = sets.Bind<StoreOptions>(ServerOptions.Section);
        sets.Bind<K8sApiOptions>(K8sApiOptions.Section);
        sets.Bind<WatchCacheOptions>("WatchCache");
        sets.RejectUnknownKeys();
        return new BoundSettings(server, store);
    }

    private static void AddSources(ConfigurationManager configuration, CommandLine command)
    {
        // The variable of the system this replaces, at the lowest precedence (Server__FlareDbPdAddress and flags win).
        var pd = Environment.GetEnvironmentVariable(FlareDbStoreDriver.PdAddressVariable);
        if (!string.IsNullOrWhiteSpace(pd))
            configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = [new($"{ServerOptions.Section}:{nameof(ServerOptions.FlareDbPdAddress)}", pd.Trim())],
            });
        configuration.AddInMemoryCollection(command.Settings.Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
    }
}

/// <summary>The sets the composition root needs before the host is built (ports, TLS, the store).</summary>
public sealed record BoundSettings(ServerOptions Server, StoreOptions Store);
