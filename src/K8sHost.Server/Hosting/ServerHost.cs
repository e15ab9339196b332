using System.Net;
using K8sHost.Api.Auth;
using K8sHost.Api.Pipeline;
using K8sHost.Registry.Contracts;
using K8sHost.Server.Options;
using K8sHost.Server.Security;
using K8sHost.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace K8sHost.Server.Hosting;

/// <summary>Composition root: options → TLS + credentials → store → registry → API (see ServerComposition).</summary>
public static class ServerHost
{
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration.AddCommandLine(args, ServerFlags.SwitchMappings);
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.Services.AddSingleton(options);
        Directory.CreateDirectory(options.DataDir);

        var certs = CertificateAuthority.LoadOrCreate(options.DataDir, options.TlsCertFile, options.TlsPrivateKeyFile, options.BindAddress);
        var auth = new TokenAuthenticator();
        var adminToken = AdminToken.LoadOrCreate(options.DataDir);
        auth.Add(adminToken, new UserInfo("admin", ["system:masters", "system:authenticated"], "admin"));
        if (!string.IsNullOrEmpty(options.TokenAuthFile)) auth.LoadTokenFile(options.TokenAuthFile);
        builder.Services.AddSingleton(auth);
        builder.Services.AddSingleton(new ServingCredentials(certs.CaPem, adminToken));
        builder.Services.AddSingleton<TenantResolver>();

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // the API enforces its own 3 MiB limit with a Status body
            var ip = options.BindAddress is "" or "0.0.0.0" ? IPAddress.Any : IPAddress.Parse(options.BindAddress);
            k.Listen(ip, options.SecurePort, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(https =>
                {
                    https.ServerCertificate = certs.ServingCertificate;
                    // Kestrel's 10 s default drops handshakes on a saturated 2-core machine; clients wait longer.
                    https.HandshakeTimeout = TimeSpan.FromSeconds(30);
                });
            });
        });

        var storeUrl = StoreFactory.ResolveUrl(options);
        var storeOptions = new StoreOptions { DataDir = options.DataDir };
        var store = await StoreFactory.OpenAsync(storeUrl, StoreDrivers.All, storeOptions, CancellationToken.None);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(storeOptions);

        ServerComposition.AddServices(builder, options);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseK8sRequestPipeline();
        ServerComposition.MapEndpoints(app);
        return app;
    }
}
