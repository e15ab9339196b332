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

/// <summary>The /openapi/v2 document in both served forms, each with its own content hash (they are different bytes).</summary>
public sealed record OpenApiV2Document(byte[] Json, string JsonHash, byte[] Protobuf, string ProtobufHash);

/// <summary>
/// Generates the per-group-version documents once, on first request, and keeps their bytes. Lazy on purpose: the
/// server must start in well under a second, and generating hundreds of schemas costs a few hundred milliseconds.
/// </summary>
public sealed class OpenApiDocumentCache(IServiceProvider services)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyDictionary<string, OpenApiV3Document>? _documents;
    private OpenApiV2Document? _v2;

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

    /// <summary>
    /// The Swagger 2.0 document, converted from the v3 documents (one catalog, two projections). Built on its first
    /// request only: kubectl asks for it only when it validates on the client (a List, a kind without v3).
    /// </summary>
    public async Task<OpenApiV2Document> GetV2Async(CancellationToken ct)
    {
        if (_v2 is { } ready) return ready;
        var v3 = await GetAsync(ct);
        await _gate.WaitAsync(ct);
        try
        {
            if (_v2 is { } built) return built;
            var v2 = OpenApiV2Converter.Convert(v3.Values.Select(d => JsonNode.Parse(d.Json)!.AsObject()));
            var json = JsonSerializer.SerializeToUtf8Bytes(v2, JsonOptions);
            var protobuf = OpenApiV2Protobuf.Encode(v2);
            return _v2 = new OpenApiV2Document(json, Hash(json), protobuf, Hash(protobuf));
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Hash(byte[] bytes) => Convert.ToHexString(SHA512.HashData(bytes));

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
            result[gv] = new OpenApiV3Document(gv, bytes, Hash(bytes));
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
