using System.Text;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Responses;

/// <summary>RFC 7234 warnings as kube-apiserver sends them: `Warning: 299 - "text"`, one header value per warning.</summary>
public static class WarningHeaders
{
    private const int MaxWarnings = 50;

    public static void Add(HttpResponse res, IEnumerable<string> warnings)
    {
        foreach (var w in warnings.Distinct().Take(MaxWarnings))
            res.Headers.Append("Warning", Format(w));
    }

    public static string Format(string text)
    {
        var sb = new StringBuilder("299 - \"", text.Length + 10);
        foreach (var ch in text)
        {
            // Header values must stay on one line and be printable ASCII-safe; quotes and backslashes are escaped.
            if (ch is '"' or '\\') sb.Append('\\').Append(ch);
            else if (ch < 0x20 || ch == 0x7f) sb.Append(' ');
            else if (ch > 0x7e) sb.Append('?');
            else sb.Append(ch);
        }
        return sb.Append('"').ToString();
    }
}
