using System.Text.Json.Nodes;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>SetDefaults_Volume and the per-source defaulters core/v1 declares for a pod's volumes.</summary>
internal static class VolumeDefaults
{
    /// <summary>0644, the mode kube gives files projected from secrets, config maps and the downward API.</summary>
    public const int DefaultMode = 420;

    public static void Apply(JsonObject v)
    {
        // A volume that names no source is an emptyDir.
        if (v.All(p => p.Key == "name" || p.Value is null)) v["emptyDir"] = new JsonObject();
        if (J.Obj(v, "hostPath") is { } hostPath) J.Default(hostPath, "type", "");
        if (J.Obj(v, "secret") is { } secret) J.Default(secret, "defaultMode", DefaultMode);
        if (J.Obj(v, "configMap") is { } configMap) J.Default(configMap, "defaultMode", DefaultMode);
        if (J.Obj(v, "downwardAPI") is { } downward)
        {
            J.Default(downward, "defaultMode", DefaultMode);
            foreach (var item in J.Objs(downward, "items")) ContainerDefaults.Selectors(item);
        }
        if (J.Obj(v, "projected") is { } projected)
        {
            J.Default(projected, "defaultMode", DefaultMode);
            foreach (var source in J.Objs(projected, "sources"))
            {
                foreach (var item in J.Objs(source, "downwardAPI", "items")) ContainerDefaults.Selectors(item);
                if (J.Obj(source, "serviceAccountToken") is { } token) J.Default(token, "expirationSeconds", 3600);
            }
        }
        if (J.Obj(v, "iscsi") is { } iscsi) J.DefaultStr(iscsi, "iscsiInterface", "default");
        if (J.Obj(v, "rbd") is { } rbd)
        {
            J.DefaultStr(rbd, "pool", "rbd");
            J.DefaultStr(rbd, "user", "admin");
            J.DefaultStr(rbd, "keyring", "/etc/ceph/keyring");
        }
        if (J.Obj(v, "azureDisk") is { } azure)
        {
            J.DefaultStr(azure, "cachingMode", "ReadWrite");
            J.DefaultStr(azure, "fsType", "ext4");
            J.Default(azure, "readOnly", false);
            J.DefaultStr(azure, "kind", "Shared");
        }
        if (J.Obj(v, "scaleIO") is { } scaleIo)
        {
            J.DefaultStr(scaleIo, "storageMode", "ThinProvisioned");
            J.DefaultStr(scaleIo, "fsType", "xfs");
        }
        if (J.Obj(v, "ephemeral", "volumeClaimTemplate") is { } template)
        {
            var spec = J.Ensure(template, "spec");
            J.DefaultStr(spec, "volumeMode", "Filesystem");
            J.Ensure(spec, "resources");
        }
        if (J.Obj(v, "image") is { } image)
            J.DefaultStr(image, "pullPolicy", ImageTagIsLatest(J.Str(image, "reference")) ? "Always" : "IfNotPresent");
    }

    /// <summary>Image volumes compare the parsed tag with "latest"; a reference without tag or digest has tag "latest".</summary>
    private static bool ImageTagIsLatest(string? reference) =>
        !string.IsNullOrEmpty(reference) && ContainerDefaults.PullPolicyFor(reference) == "Always";
}
