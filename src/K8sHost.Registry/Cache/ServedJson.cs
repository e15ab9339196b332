using System.Text.Json;

namespace K8sHost.Registry.Cache;

/// <summary>Serializer settings for stored and served objects: the API's one set (<see cref="ApiMachinery.Json.WireJson"/>).</summary>
internal static class ServedJson
{
    public static JsonSerializerOptions Options => ApiMachinery.Json.WireJson.Options;
}
