using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace K8sHost.ApiMachinery.Validation;

/// <summary>
/// apimachinery's IP, CIDR and port-name checks with kube-apiserver's wording. Parsing is Go's "sloppy" parsing that
/// legacy fields keep: dotted-quad IPv4 (leading zeros tolerated) or IPv6 without a zone; .NET's own parser would also
/// take "1.2.3" or "0x7f.1", which kube rejects.
/// </summary>
public static class NetworkRules
{
    public const string IpError = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    public const string CidrError = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    public static IPAddress? ParseIp(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Contains(':'))
        {
            if (text.IndexOfAny(['%', '[', ']', '/']) >= 0) return null;
            return IPAddress.TryParse(text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 ? v6 : null;
        }
        var parts = text.Split('.');
        if (parts.Length != 4) return null;
        var bytes = new byte[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit) ||
                !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var b) || b > 255) return null;
            bytes[i] = (byte)b;
        }
        return new IPAddress(bytes);
    }

    /// <summary>An address and prefix length; the address may have host bits set, as ParseCIDRSloppy allows.</summary>
    public static (IPAddress Ip, int Prefix)? ParseCidr(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var slash = text.IndexOf('/');
        if (slash < 0) return null;
        var ip = ParseIp(text[..slash]);
        var bits = text[(slash + 1)..];
        if (ip is null || bits.Length == 0 || bits.Length > 3 || !bits.All(char.IsAsciiDigit)) return null;
        var prefix = int.Parse(bits, CultureInfo.InvariantCulture);
        return prefix > (ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128) ? null : (ip, prefix);
    }

    public static IReadOnlyList<string> IsValidIp(string value) => ParseIp(value) is null ? [IpError] : [];

    public static IReadOnlyList<string> IsValidCidr(string value) => ParseCidr(value) is null ? [CidrError] : [];

    /// <summary>
    /// ValidateNonSpecialIP: addresses that make no sense as external IPs or endpoints (unspecified, loopback,
    /// link-local unicast and link-local multicast).
    /// </summary>
    public static IReadOnlyList<string> IsNonSpecialIp(string value)
    {
        var ip = ParseIp(value);
        if (ip is null) return ["must be a valid IP address"];
        var errs = new List<string>();
        var v4 = ip.AddressFamily == AddressFamily.InterNetwork ? ip.GetAddressBytes() : ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().GetAddressBytes() : null;
        if (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)) errs.Add($"may not be unspecified ({value})");
        if (v4 is [127, ..] || ip.Equals(IPAddress.IPv6Loopback)) errs.Add("may not be in the loopback range (127.0.0.0/8, ::1/128)");
        if (v4 is [169, 254, ..] || ip.IsIPv6LinkLocal) errs.Add("may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        if (v4 is [224, 0, 0, _] || (ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.GetAddressBytes() is [0xff, 0x02, ..]))
            errs.Add("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        return errs;
    }

    /// <summary>IsValidPortName: an IANA service name, 1-15 of [a-z0-9-] with a letter and no edge or double hyphens.</summary>
    public static IReadOnlyList<string> IsValidPortName(string port)
    {
        var errs = new List<string>();
        if (port.Length > 15) errs.Add("must be no more than 15 characters");
        if (!port.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            errs.Add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        if (!port.Any(char.IsAsciiLetterLower)) errs.Add("must contain at least one letter (a-z)");
        if (port.Contains("--", StringComparison.Ordinal)) errs.Add("must not contain consecutive hyphens");
        if (port.Length > 0 && (port[0] == '-' || port[^1] == '-')) errs.Add("must not begin or end with a hyphen");
        return errs;
    }
}
