using System.Text.RegularExpressions;

namespace K8sHost.ApiMachinery.Schema;

/// <summary>The resource.Quantity grammar: a signed decimal with an optional binary, decimal-SI or exponent suffix.</summary>
public static partial class Quantity
{
    /// <summary>apimachinery's ErrFormatWrong text, which kube-apiserver returns for a malformed quantity.</summary>
    public const string FormatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    public static bool IsValid(string text) => text.Length > 0 && Grammar().IsMatch(text);

    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)((Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|([eE][+-]?[0-9]+))?\z")]
    private static partial Regex Grammar();
}
