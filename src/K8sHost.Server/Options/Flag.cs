using System.Globalization;
using System.Reflection;

namespace K8sHost.Server.Options;

/// <summary>kube-apiserver's --help groups, in its order.</summary>
public enum FlagGroup { Generic, Etcd, SecureServing, Authentication, Authorization, Metrics, Misc, Logs, Global, Hosting }

/// <summary>What a flag does once parsed: set a "Server" setting, set a host setting, or run a command (--help).</summary>
public enum FlagKind { Setting, Host, Command }

/// <summary>
/// One row of <see cref="ServerFlags.All"/>. A setting flag names a property of an option set bound from the "Server"
/// section; its value type (bool, int, string, duration), default and configuration key all come from that property.
/// </summary>
public sealed record Flag(string Name, string? Shorthand, FlagKind Kind, FlagGroup Group, string Usage, string Key, Type ValueType, string? DefaultText)
{
    /// <summary>The environment variable equivalent (Server__SecurePort); null for flags that are not settings.</summary>
    public string? EnvironmentVariable => Kind == FlagKind.Setting ? Key.Replace(":", "__", StringComparison.Ordinal) : null;

    /// <summary>pflag's rule: a boolean flag alone means true and never takes the next argument as its value.</summary>
    public bool IsBoolean => ValueType == typeof(bool);

    public static Flag Of<TOptions>(string name, string property, FlagGroup group, string usage, string? shorthand = null)
        where TOptions : new()
    {
        var p = typeof(TOptions).GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new ArgumentException($"{typeof(TOptions).Name} has no property {property}", nameof(property));
        var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
        return new Flag(name, shorthand, FlagKind.Setting, group, usage, $"{ServerOptions.Section}:{property}", type,
            FormatDefault(p.GetValue(new TOptions())));
    }

    public static Flag Command(string name, FlagGroup group, string usage, string? shorthand = null) =>
        new(name, shorthand, FlagKind.Command, group, usage, name.TrimStart('-'), typeof(bool), null);

    public static Flag Host(string name, string hostKey, string usage, string defaultText) =>
        new(name, null, FlagKind.Host, FlagGroup.Hosting, usage, hostKey, typeof(string), defaultText);

    private static string? FormatDefault(object? value) => value switch
    {
        null => null,
        string s when s.Length == 0 => null,
        TimeSpan t => GoDuration.Format(t),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
