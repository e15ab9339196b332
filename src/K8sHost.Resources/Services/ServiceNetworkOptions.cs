using System.ComponentModel.DataAnnotations;

namespace K8sHost.Resources.Services;

/// <summary>
/// kube-apiserver's --service-cluster-ip-range and --service-node-port-range. The server binds one instance from its
/// configuration (the same section as its flags) and validates it at start.
/// </summary>
public sealed class ServiceNetworkOptions : IValidatableObject
{
    /// <summary>CIDR the cluster IPs come from. Its first host address (10.96.0.1) is kept for the `kubernetes` service.</summary>
    public string ServiceClusterIpRange { get; set; } = "10.96.0.0/16";

    /// <summary>Inclusive "low-high" node port range.</summary>
    public string ServiceNodePortRange { get; set; } = "30000-32767";

    /// <summary>Throws FormatException naming the bad setting; the server calls it at startup so a typo fails fast.</summary>
    public void Validate()
    {
        _ = IpRange.Parse(ServiceClusterIpRange);
        _ = PortRange.Parse(ServiceNodePortRange);
    }

    IEnumerable<ValidationResult> IValidatableObject.Validate(ValidationContext validationContext)
    {
        var errors = new List<ValidationResult>();
        Check(() => IpRange.Parse(ServiceClusterIpRange), nameof(ServiceClusterIpRange), errors);
        Check(() => PortRange.Parse(ServiceNodePortRange), nameof(ServiceNodePortRange), errors);
        return errors;
    }

    private static void Check(Func<object> parse, string member, List<ValidationResult> errors)
    {
        try { parse(); }
        catch (FormatException e) { errors.Add(new ValidationResult(e.Message, [member])); }
    }

    internal IpRange IpRange => IpRange.Parse(ServiceClusterIpRange);

    /// <summary>The first host address of the range (10.96.0.1), which belongs to the `kubernetes` service.</summary>
    public string KubernetesServiceIp => IpRange.At(1);

    internal PortRange PortRange => PortRange.Parse(ServiceNodePortRange);

    /// <summary>The server's registered options, or the defaults when none (unit tests).</summary>
    internal static ServiceNetworkOptions From(IServiceProvider? services) =>
        services?.GetService(typeof(ServiceNetworkOptions)) as ServiceNetworkOptions ?? new ServiceNetworkOptions();
}
