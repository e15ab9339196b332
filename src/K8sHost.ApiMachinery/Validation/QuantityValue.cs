using System.Globalization;

namespace K8sHost.ApiMachinery.Validation;

/// <summary>
/// The numeric value of a resource.Quantity, for the comparisons validation makes (requests against limits, sign,
/// whole numbers). The grammar itself is checked at decode time (Schema.Quantity); this only evaluates it.
/// </summary>
public static class QuantityValue
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1_000_000m), ("G", 1_000_000_000m),
        ("T", 1_000_000_000_000m), ("P", 1_000_000_000_000_000m), ("E", 1_000_000_000_000_000_000m),
    ];

    /// <summary>False for text outside the grammar or beyond decimal's range (such values are never compared).</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrEmpty(text)) return false;
        try
        {
            foreach (var (suffix, factor) in Suffixes)
                if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                    decimal.TryParse(text[..^suffix.Length], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
                {
                    value = n * factor;
                    return true;
                }
            return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out value);
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
