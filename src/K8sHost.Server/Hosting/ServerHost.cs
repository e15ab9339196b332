using System.Net;
using K8sHost.Api.Auth;
using K8sHost.Api.Pipeline;
using K8sHost.Registry.Contracts;
using K8sHost.Server.Options;
using K8sHost.Server.Security;
using K8sHost.Storage;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace K8sHost.Server.Hosting;

/// <summary>Composition root: options → logging → TLS + credentials → store → registry → API (see ServerComposition).</summary>
public static class ServerHost
{
    /// <summary>Every setting is parsed, bound and validated before anything is created or opened.</summary>
    public static async Task<WebApplication> BuildAsync(CommandLine command, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The command line is parsed against the flags table, not handed to ASP.NET Core's lenient parser.
            Args = [],
            // appsettings.json ships next to the server, wherever it is started from (scripts/run.sh keeps the caller's directory).
            ContentRootPath = command.HostSettings.GetValueOrDefault("contentRoot") ?? AppContext.BaseDirectory,
            EnvironmentName = command.HostSettings.GetValueOrDefault("environment"),
            ApplicationName = command.HostSettings.GetValueOrDefault("applicationName"),
        });
        var (options, storeOptions) = ServerSettings.Bind(builder, command);
        ServerLogging.Configure(builder, options);
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
        var store = await StoreFactory.OpenAsync(storeUrl, StoreDrivers.All, storeOptions, CancellationToken.None);
        builder.Services.AddSingleton(store);

        ServerComposition.AddServices(builder, options);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Logged around the pipeline, so each line names the user the pipeline authenticated.
        if (ServerLogging.LogsRequests(options)) app.UseMiddleware<RequestLogMiddleware>();
        app.UseK8sRequestPipeline();
        ServerComposition.MapEndpoints(app);
        return app;
    }
}
