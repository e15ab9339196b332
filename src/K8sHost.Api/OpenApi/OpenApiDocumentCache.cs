using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.Registry.Catalog;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace K8sHost.Api.OpenApi;

/// <summary>One served OpenAPI v3 document: its bytes and the uppercase hex content hash used in URLs and ETags.</summary>
public sealed record OpenApiV3Document(string GroupVersion, byte[] Json, string Hash);

/// <summary>
/// Generates the per-group-version documents once, on first request, and keeps their bytes. Lazy on purpose: the
/// server must start in well under a second, and generating hundreds of schemas costs a few hundred milliseconds.
/// </summary>
public sealed class OpenApiDocumentCache(IServiceProvider services)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyDictionary<string, OpenApiV3Document>? _documents;

    /// <summary>True once the documents exist (they are built on the first request).</summary>
    public bool IsGenerated => _documents is not null;

    public async Task<IReadOnlyDictionary<string, OpenApiV3Document>> GetAsync(CancellationToken ct)
    {
        if (_documents is { } ready) return ready;
        await _gate.WaitAsync(ct);
        try
        {
            return _documents ??= await GenerateAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyDictionary<string, OpenApiV3Document>> GenerateAsync(CancellationToken ct)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(KindApiDescriptionProvider.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync(ct);
        using var text = new StringWriter();
        document.SerializeAsV3(new OpenApiJsonWriter(text));
        var whole = JsonNode.Parse(text.ToString())!.AsObject();

        var catalog = services.GetRequiredService<ResourceCatalog>();
        var groupVersions = catalog.GroupVersions.Select(gv => KindOperation.GroupVersionPath(gv.Group, gv.Version)).ToList();
        var split = GroupVersionDocumentSplitter.Split(whole, groupVersions, services.GetRequiredService<KubernetesModelDocs>());

        var result = new Dictionary<string, OpenApiV3Document>(StringComparer.Ordinal);
        foreach (var gv in groupVersions)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(split[gv], JsonOptions);
            result[gv] = new OpenApiV3Document(gv, bytes, Convert.ToHexString(SHA512.HashData(bytes)));
        }
        return result;
    }

    /// <summary>The index kubectl reads first: {"paths":{"api/v1":{"serverRelativeURL":"/openapi/v3/api/v1?hash=…"}}}.</summary>
    public static byte[] Index(IReadOnlyDictionary<string, OpenApiV3Document> documents)
    {
        var paths = new JsonObject();
        foreach (var (gv, doc) in documents)
            paths[gv] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{gv}?hash={doc.Hash}" };
        return Encoding.UTF8.GetBytes(new JsonObject { ["paths"] = paths }.ToJsonString());
    }

    // Relaxed escaping keeps descriptions readable ("don't" rather than "don\u0027t"); the bytes are served as JSON only.
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
