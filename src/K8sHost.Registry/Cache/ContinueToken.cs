using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;

namespace K8sHost.Registry.Cache;

/// <summary>
/// The opaque continue token: base64 of {"rv":R,"start":"key relative to the list prefix"}. Relative keys keep a
/// token from reaching outside the prefix (another tenant or resource) it was issued for.
/// </summary>
public static class ContinueToken
{
    public static string Encode(long revision, string lastKeyRelative)
    {
        var json = new JsonObject { ["v"] = "k8shost.v1", ["rv"] = revision, ["start"] = lastKeyRelative }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static (long Revision, string StartAfterRelative) Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var obj = JsonNode.Parse(Convert.FromBase64String(b64))!.AsObject();
            var rv = obj["rv"]!.GetValue<long>();
            var start = obj["start"]!.GetValue<string>();
            if (rv <= 0 || start.Length == 0 || start.Contains("..", StringComparison.Ordinal) || start.StartsWith('/'))
                throw new FormatException();
            return (rv, start);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException or NullReferenceException)
        {
            throw ApiError.BadRequest("continue key is not valid: the continue token could not be decoded");
        }
    }
}
