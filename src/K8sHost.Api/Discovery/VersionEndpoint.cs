using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace K8sHost.Api.Discovery;

/// <summary>GET /version, shaped like kube-apiserver v1.35's version.Info (kubectl compares major/minor for skew).</summary>
public static class VersionEndpoint
{
    public const string Major = "1";
    public const string Minor = "35";
    public const string GitVersion = "v1.35.0-k8shost";

    private static readonly byte[] Body = JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["major"] = Major,
        ["minor"] = Minor,
        ["emulationMajor"] = Major,
        ["emulationMinor"] = Minor,
        ["minCompatibilityMajor"] = Major,
        ["minCompatibilityMinor"] = "34",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = typeof(VersionEndpoint).Assembly.ManifestModule.ModuleVersionId.ToString("N"),
        ["gitTreeState"] = "clean",
        ["buildDate"] = File.GetLastWriteTimeUtc(typeof(VersionEndpoint).Assembly.Location).ToString("yyyy-MM-ddTHH:mm:ssZ"),
        // Not Go: report the runtime that actually serves, in the field clients display.
        ["goVersion"] = RuntimeInformation.FrameworkDescription,
        ["compiler"] = "dotnet",
        ["platform"] = Platform(),
    });

    public static void Map(IEndpointRouteBuilder app, Func<RequestDelegate, RequestDelegate> wrap) =>
        app.MapGet("/version", wrap(async http =>
        {
            http.Response.ContentType = "application/json";
            http.Response.ContentLength = Body.Length;
            await http.Response.Body.WriteAsync(Body, http.RequestAborted);
        }));

    /// <summary>Go's GOOS/GOARCH spelling ("linux/amd64"), which is what clients expect in this field.</summary>
    public static string Platform()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin"
            : RuntimeInformation.OSDescription.ToLowerInvariant();
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.X86 => "386",
            Architecture.Arm64 => "arm64",
            Architecture.Arm => "arm",
            Architecture.S390x => "s390x",
            Architecture.Ppc64le => "ppc64le",
            Architecture.RiscV64 => "riscv64",
            var a => a.ToString().ToLowerInvariant(),
        };
        return $"{os}/{arch}";
    }
}
