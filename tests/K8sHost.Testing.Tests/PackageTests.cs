using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace K8sHost.Testing.Tests;

/// <summary>
/// What a consumer gets: the solution packed into a local feed, and a brand-new xunit project outside the repository
/// that references only K8sHost.Testing (from that feed; everything else from public NuGet) and runs one test.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class PackageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_fresh_xunit_project_referencing_only_the_packed_K8sHost_Testing_restores_builds_and_passes()
    {
        var repo = RepoRoot();
        var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "k8shost-pack-" + Guid.NewGuid().ToString("N"))).FullName;
        // A version of its own, so the global packages folder never serves a package packed by an earlier run.
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Random.Shared.Next(1000, 9999)}";
        var feed = Path.Combine(work, "feed");
        try
        {
            await RunAsync(repo, TimeSpan.FromMinutes(4),
                "pack", "K8sHost.Rest.sln", "-c", "Release", "--no-build", "-o", feed, $"-p:PackageVersion={version}", "-nologo", "-v", "q");
            var packages = Directory.GetFiles(feed, "*.nupkg").Select(Path.GetFileName).ToList();
            output.WriteLine("packed: " + string.Join(", ", packages));
            Assert.Contains($"K8sHost.Testing.{version}.nupkg", packages);
            Assert.Contains($"K8sHost.Server.{version}.nupkg", packages);
            Assert.DoesNotContain(packages, p => p!.Contains(".Tests.") || p.Contains("Bench") || p.Contains("ProtocolServer") || p.Contains("Sample"));
            AssertNuspecDescribesThePackage(Path.Combine(feed, $"K8sHost.Testing.{version}.nupkg"));

            var consumer = Directory.CreateDirectory(Path.Combine(work, "consumer")).FullName;
            await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <clear />
                    <add key="local" value="{feed}" />
                    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
                  </packageSources>
                </configuration>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.Tests.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <TargetFramework>net10.0</TargetFramework>
                    <Nullable>enable</Nullable>
                    <ImplicitUsings>enable</ImplicitUsings>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="K8sHost.Testing" Version="{version}" />
                    <PackageReference Include="Microsoft.NET.Test.Sdk" Version="18.11.0" />
                    <PackageReference Include="xunit" Version="2.9.3" />
                    <PackageReference Include="xunit.runner.visualstudio" Version="3.1.5" />
                  </ItemGroup>
                </Project>
                """);
            await File.WriteAllTextAsync(Path.Combine(consumer, "FirstTest.cs"), """
                using K8sHost.Testing;
                using k8s;
                using k8s.Models;
                using Xunit;

                public class FirstTest
                {
                    [Fact]
                    public async Task Creates_a_namespace_on_a_real_api_server()
                    {
                        await using var api = await TestApiServer.StartAsync();
                        await api.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "demo" } });
                        var ns = await api.WaitUntilAsync<V1Namespace>("demo", null, n => n.Status?.Phase == "Active");
                        Assert.Equal("demo", ns.Metadata.Name);
                    }
                }
                """);
            var result = await RunAsync(consumer, TimeSpan.FromMinutes(4), "test", "-c", "Release", "-nologo", "-v", "q");

            Assert.Matches(@"Failed:\s+0,\s+Passed:\s+1,", result);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
            RemoveFromGlobalPackages(version);
        }
    }

    private static void AssertNuspecDescribesThePackage(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = entry.Open();
        var nuspec = XDocument.Load(stream);
        var meta = nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => meta.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;

        Assert.Contains("TestApiServer", Value("description"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/K8sHost.Testing.dll");
        var deps = meta.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
        Assert.Contains("K8sHost.Server", deps);
        Assert.Contains("KubernetesClient", deps);
    }

    private async Task<string> RunAsync(string dir, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try { await p.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', args)} did not finish within {timeout}");
        }
        var text = await stdout + await stderr;
        output.WriteLine($"$ dotnet {string.Join(' ', args)} (exit {p.ExitCode})\n{text}");
        Assert.True(p.ExitCode == 0, $"dotnet {string.Join(' ', args)} failed:\n{text}");
        return text;
    }

    private static void RemoveFromGlobalPackages(string version)
    {
        var root = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (!Directory.Exists(root)) return;
        foreach (var id in Directory.GetDirectories(root, "k8shost.*"))
        {
            var dir = Path.Combine(id, version);
            try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); } catch (IOException) { }
            try { if (!Directory.EnumerateFileSystemEntries(id).Any()) Directory.Delete(id); } catch (IOException) { }
        }
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "K8sHost.Rest.sln"))) return dir.FullName;
        throw new InvalidOperationException("K8sHost.Rest.sln not found above " + AppContext.BaseDirectory);
    }
}
