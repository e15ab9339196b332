using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace K8sHost.E2E.Tests.Helm;

/// <summary>
/// Decodes helm's release storage: a Secret whose data.release holds base64(gzip(release JSON)); in the Secret's JSON
/// wire form the data value is base64 again. Any byte the server changed breaks the gzip stream or the JSON.
/// </summary>
public static class HelmReleaseRecord
{
    public static JsonNode Decode(JsonNode secret)
    {
        var wire = secret["data"]?["release"]?.GetValue<string>()
            ?? throw new Xunit.Sdk.XunitException("secret has no data.release");
        var helmEncoded = Encoding.ASCII.GetString(Convert.FromBase64String(wire));
        var gz = Convert.FromBase64String(helmEncoded);
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var json = new MemoryStream();
        input.CopyTo(json);
        return JsonNode.Parse(json.ToArray())!;
    }
}
