using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Resources.Common;

namespace K8sHost.Resources.Pods;

/// <summary>validateVolumes: names are DNS labels, unique, and each volume has exactly one source.</summary>
internal static class PodVolumeValidation
{
    /// <summary>The sources in the order kube's validateVolumeSource checks them; the second found is the one reported.</summary>
    private static readonly string[] Sources =
    [
        "emptyDir", "hostPath", "gitRepo", "gcePersistentDisk", "awsElasticBlockStore", "secret", "nfs", "iscsi", "glusterfs",
        "persistentVolumeClaim", "rbd", "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile",
        "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO", "configMap", "storageos",
        "csi", "projected", "ephemeral", "image",
    ];

    /// <summary>Fills <paramref name="names"/> with the volume names, for volumeMounts to refer to.</summary>
    public static IEnumerable<FieldError> Volumes(IReadOnlyList<JsonObject> volumes, HashSet<string> names)
    {
        for (var i = 0; i < volumes.Count; i++)
        {
            var at = $"spec.volumes[{i}]";
            var name = J.S(volumes[i], "name");
            if (name.Length == 0) yield return FieldError.Required($"{at}.name");
            else
            {
                foreach (var e in Checks.Value($"{at}.name", name, Checks.NameRule.Label)) yield return e;
                if (!names.Add(name)) yield return FieldError.Duplicate($"{at}.name", name);
            }
            var present = Sources.Where(s => volumes[i][s] is not null).ToList();
            if (present.Count == 0) yield return FieldError.Required(at, "must specify a volume type");
            foreach (var extra in present.Skip(1)) yield return FieldError.Forbidden($"{at}.{extra}", "may not specify more than 1 volume type");
        }
    }
}
