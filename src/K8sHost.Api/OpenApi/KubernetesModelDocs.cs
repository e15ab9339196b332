using System.Xml;

namespace K8sHost.Api.OpenApi;

/// <summary>
/// Summaries of k8s.Models types and properties, embedded at build time from the XML docs KubernetesClient ships
/// (see KubernetesModelDocs.targets). They are the Kubernetes API descriptions, so `kubectl explain` prints the same
/// text it prints against kube-apiserver. Loaded once, on first use, so startup does not pay for it.
/// </summary>
public sealed class KubernetesModelDocs
{
    private const string ResourceName = "K8sHost.Api.OpenApi.KubernetesModelDocs.xml";
    private readonly Lazy<Dictionary<string, string>> _summaries = new(Load);

    /// <summary>Summary of a model type (V1Pod → "Pod is a collection of containers…"), or null.</summary>
    public string? ForType(Type type) =>
        type.Namespace == "k8s.Models" ? _summaries.Value.GetValueOrDefault(type.Name) : null;

    /// <summary>Summary of a CLR property of a model type, or null.</summary>
    public string? ForProperty(Type declaringType, string clrPropertyName) =>
        declaringType.Namespace == "k8s.Models"
            ? _summaries.Value.GetValueOrDefault(declaringType.Name + "." + clrPropertyName)
            : null;

    private static Dictionary<string, string> Load()
    {
        using var stream = typeof(KubernetesModelDocs).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing (built without KubernetesModelDocs.targets?)");
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { IgnoreWhitespace = true });
        reader.MoveToContent();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element || reader.Name != "m")
            {
                reader.Read();
                continue;
            }
            // ReadElementContentAsString already advances to the next node: no extra Read here, or every other entry is lost.
            var name = reader.GetAttribute("n");
            var text = reader.ReadElementContentAsString();
            if (!string.IsNullOrEmpty(name) && text.Length > 0) map[name] = WithoutPortingNote(text);
        }
        return map;
    }

    // The client's hand-written Quantity starts with "port <url> to c#" before the upstream text.
    private static string WithoutPortingNote(string text)
    {
        const string marker = " to c# ";
        var at = text.StartsWith("port http", StringComparison.Ordinal) ? text.IndexOf(marker, StringComparison.Ordinal) : -1;
        return at < 0 ? text : text[(at + marker.Length)..];
    }
}
