using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace K8sHost.Api.Tests.OpenApi;

/// <summary>
/// The documents in openapi/ (one v3 file per group-version, "api/v1" → api__v1.json, and the v2 swagger.json) are what
/// the server serves, so a change to the schema output shows up in review. Regenerate with:
///   UPDATE_OPENAPI=1 dotnet test tests/K8sHost.Api.Tests --filter FullyQualifiedName~CheckedInOpenApiDocuments
/// </summary>
[Collection(OpenApiServerCollection.Name)]
public sealed class CheckedInOpenApiDocumentsTests(OpenApiServerFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task ServedDocuments_MatchTheCheckedInFiles()
    {
        var host = fixture.Host;
        var index = JsonNode.Parse(await host.Client.GetStringAsync("/openapi/v3"))!["paths"]!.AsObject();
        var dir = Path.Combine(FindRepoRoot(), "openapi");
        var update = Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1";
        var expectedFiles = new HashSet<string>(StringComparer.Ordinal);
        var failures = new List<string>();

        foreach (var (gv, entry) in index)
        {
            var served = JsonNode.Parse(await host.Client.GetStringAsync(entry!["serverRelativeURL"]!.GetValue<string>()))!;
            var file = Path.Combine(dir, gv.Replace('/', '_').Replace("_", "__", StringComparison.Ordinal) + ".json");
            expectedFiles.Add(Path.GetFileName(file));
            if (update)
            {
                Directory.CreateDirectory(dir);
                await File.WriteAllTextAsync(file, served.ToJsonString(Indented) + "\n");
                continue;
            }
            if (!File.Exists(file)) { failures.Add($"{gv}: {file} is missing"); continue; }
            var checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(file));
            if (!JsonNode.DeepEquals(served, checkedIn)) failures.Add($"{gv}: served document differs from {file}");
        }
        expectedFiles.Add(V2File);
        foreach (var stale in Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json") : [])
        {
            if (expectedFiles.Contains(Path.GetFileName(stale))) continue;
            if (update) File.Delete(stale); else failures.Add($"{stale} is not served by any group-version");
        }

        Assert.True(failures.Count == 0,
            string.Join("\n", failures) + "\nRegenerate: UPDATE_OPENAPI=1 dotnet test tests/K8sHost.Api.Tests --filter FullyQualifiedName~CheckedInOpenApiDocuments");
    }

    private const string V2File = "swagger.json";

    [Fact]
    public async Task ServedV2Document_MatchesTheCheckedInSwaggerJson()
    {
        var served = JsonNode.Parse(await fixture.Host.Client.GetStringAsync("/openapi/v2"))!;
        var file = Path.Combine(FindRepoRoot(), "openapi", V2File);
        if (Environment.GetEnvironmentVariable("UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(file, served.ToJsonString(Indented) + "\n");
            return;
        }
        Assert.True(File.Exists(file), $"{file} is missing");
        Assert.True(JsonNode.DeepEquals(served, JsonNode.Parse(await File.ReadAllTextAsync(file))),
            $"GET /openapi/v2 differs from {file}\nRegenerate: UPDATE_OPENAPI=1 dotnet test tests/K8sHost.Api.Tests --filter FullyQualifiedName~CheckedInOpenApiDocuments");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "K8sHost.Rest.sln"))) return dir.FullName;
        throw new InvalidOperationException("K8sHost.Rest.sln not found above " + AppContext.BaseDirectory);
    }
}
