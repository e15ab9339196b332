using System.Net;
using System.Net.Sockets;

namespace K8sHost.Resources.Services;

/// <summary>
/// A service CIDR as an index space: index 0 is the network address (never handed out), index 1 is the address kube
/// reserves for the `kubernetes` service, dynamic allocation starts at 2. IPv4 also excludes the broadcast address.
/// </summary>
internal sealed record IpRange(string Cidr, AddressFamily Family, UInt128 Base, UInt128 Size)
{
    public const long FirstDynamicIndex = 2;

    public string FamilyName => Family == AddressFamily.InterNetwork ? "IPv4" : "IPv6";

    /// <summary>Last usable index (inclusive).</summary>
    public UInt128 LastIndex => Family == AddressFamily.InterNetwork ? Size - 2 : Size - 1;

    public static IpRange Parse(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) ||
            !int.TryParse(cidr[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
            throw new FormatException($"service cluster IP range \"{cidr}\" is not a valid CIDR");
        var bits = ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        // kube-apiserver refuses ranges with more than 2^20 addresses for IPv6; a /8 IPv4 is also far beyond use.
        if (prefix > bits - 2 || prefix < bits - 24)
            throw new FormatException($"service cluster IP range \"{cidr}\" must have a prefix between /{bits - 24} and /{bits - 2}");
        var size = (UInt128)1 << (bits - prefix);
        var value = ToNumber(ip);
        var network = value & ~(size - 1);
        return new IpRange(cidr, ip.AddressFamily, network, size);
    }

    /// <summary>The index of <paramref name="ip"/> in the range, or null when outside it or not usable.</summary>
    public UInt128? IndexOf(string ip)
    {
        if (!IPAddress.TryParse(ip, out var addr) || addr.AddressFamily != Family) return null;
        var n = ToNumber(addr);
        if (n < Base || n - Base > LastIndex || n == Base) return null;
        return n - Base;
    }

    public string At(UInt128 index)
    {
        var n = Base + index;
        var bytes = new byte[Family == AddressFamily.InterNetwork ? 4 : 16];
        for (var i = bytes.Length - 1; i >= 0; i--, n >>= 8) bytes[i] = (byte)(n & 0xFF);
        return new IPAddress(bytes).ToString();
    }

    private static UInt128 ToNumber(IPAddress ip)
    {
        UInt128 n = 0;
        foreach (var b in ip.GetAddressBytes()) n = (n << 8) | b;
        return n;
    }
}

/// <summary>The inclusive node port range, "30000-32767".</summary>
internal sealed record PortRange(int Low, int High)
{
    public static PortRange Parse(string text)
    {
        var parts = text.Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var low) || !int.TryParse(parts[1], out var high) ||
            low < 1 || high > 65535 || low > high)
            throw new FormatException($"service node port range \"{text}\" is not \"low-high\" within 1-65535");
        return new PortRange(low, high);
    }

    public bool Contains(long port) => port >= Low && port <= High;

    public override string ToString() => $"{Low}-{High}";
}
