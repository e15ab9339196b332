using K8sHost.Server.Options;

namespace K8sHost.Server.Hosting;

/// <summary>
/// kube-apiserver's log flags: --logging-format picks one console line per entry (text) or one JSON object per line
/// (json). Levels come from appsettings.json ("Logging"), which ships quiet: ASP.NET Core at Warning, so a request
/// costs no log line unless -v 2 or more asks for one (<see cref="RequestLogMiddleware"/>).
/// </summary>
public static class ServerLogging
{
    private const string Timestamp = "yyyy-MM-ddTHH:mm:ss.fffZ ";

    public static void Configure(WebApplicationBuilder builder, ServerOptions options)
    {
        builder.Logging.ClearProviders();
        if (options.LoggingFormat == "json")
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = Timestamp.TrimEnd();
                o.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Indented = false };
            });
        else
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = Timestamp;
            });
    }

    public static bool LogsRequests(ServerOptions options) => options.Verbosity >= 2;
}
