using System.Text;

namespace K8sHost.Server.Options;

/// <summary>--help: every flag of <see cref="ServerFlags.All"/> with its type, meaning, default and environment variable, grouped as kube-apiserver groups them.</summary>
public static class FlagHelp
{
    public static string Render(IReadOnlyList<Flag> flags)
    {
        var sb = new StringBuilder();
        sb.AppendLine("k8shost serves the Kubernetes API (kube-apiserver v1.35 compatible) over HTTPS.");
        sb.AppendLine();
        sb.AppendLine("Usage:");
        sb.AppendLine("  k8shost [flags]");
        var width = flags.Max(f => Signature(f).Length) + 3;
        foreach (var group in flags.GroupBy(f => f.Group).OrderBy(g => g.Key))
        {
            sb.AppendLine();
            sb.Append(Title(group.Key)).AppendLine(":");
            sb.AppendLine();
            foreach (var f in group)
                sb.Append(Signature(f).PadRight(width)).Append(f.Usage).AppendLine(Suffix(f));
        }
        sb.AppendLine();
        sb.AppendLine("Every flag of a group other than Global and Hosting is also the appsettings.json key Server:<Name> and the");
        sb.AppendLine("environment variable Server__<Name> shown with it; a flag wins over the environment, which wins over appsettings.json.");
        sb.AppendLine("FLAREDB_PD_ADDR=HOST:PORT selects FlareDB when neither --storage nor --etcd-servers is given.");
        return sb.ToString();
    }

    private static string Signature(Flag f)
    {
        var type = f.IsBoolean ? "" : " " + TypeName(f.ValueType);
        return (f.Shorthand is null ? "      " : $"  {f.Shorthand}, ") + f.Name + type;
    }

    private static string TypeName(Type t) =>
        t == typeof(int) ? "int" : t == typeof(long) ? "int" : t == typeof(TimeSpan) ? "duration" : "string";

    private static string Suffix(Flag f)
    {
        var parts = new List<string>();
        if (f.DefaultText is not null) parts.Add("default " + (f.ValueType == typeof(string) && f.Kind == FlagKind.Setting ? $"\"{f.DefaultText}\"" : f.DefaultText));
        if (f.EnvironmentVariable is not null) parts.Add("env " + f.EnvironmentVariable);
        return parts.Count == 0 ? "" : $" ({string.Join("; ", parts)})";
    }

    private static string Title(FlagGroup g) => g switch
    {
        FlagGroup.Generic => "Generic flags",
        FlagGroup.Etcd => "Etcd flags",
        FlagGroup.SecureServing => "Secure serving flags",
        FlagGroup.Authentication => "Authentication flags",
        FlagGroup.Authorization => "Authorization flags",
        FlagGroup.Metrics => "Metrics flags",
        FlagGroup.Misc => "Misc flags",
        FlagGroup.Logs => "Logs flags",
        FlagGroup.Global => "Global flags",
        _ => "Hosting flags",
    };
}
