namespace K8sHost.ApiMachinery.Protobuf.Schemas;

/// <summary>
/// k8s.io/apimachinery meta/v1 and runtime messages (field numbers from their generated.proto). Time, MicroTime,
/// IntOrString, Quantity, RawExtension and FieldsV1 are special types handled by the transcoder itself.
/// </summary>
internal static class MetaTables
{
    public const string Text = """
        package meta *
        ObjectMeta: 1 name string; 2 generateName string; 3 namespace string; 4 selfLink string; 5 uid string;
          6 resourceVersion string; 7 generation int64; 8 creationTimestamp Time; 9 deletionTimestamp Time;
          10 deletionGracePeriodSeconds int64*; 11 labels map<string>; 12 annotations map<string>;
          13 ownerReferences []OwnerReference; 14 finalizers []string; 17 managedFields []ManagedFieldsEntry
        OwnerReference: 5 apiVersion string*; 1 kind string*; 3 name string*; 4 uid string*; 6 controller bool*; 7 blockOwnerDeletion bool*
        ManagedFieldsEntry: 1 manager string; 2 operation string; 3 apiVersion string; 4 time Time; 6 fieldsType string;
          7 fieldsV1 FieldsV1; 8 subresource string
        ListMeta: 1 selfLink string; 2 resourceVersion string; 3 continue string; 4 remainingItemCount int64*
        LabelSelector: 1 matchLabels map<string>; 2 matchExpressions []LabelSelectorRequirement
        LabelSelectorRequirement: 1 key string*; 2 operator string*; 3 values []string
        Condition: 1 type string*; 2 status string*; 3 observedGeneration int64; 4 lastTransitionTime Time; 5 reason string*; 6 message string*
        Preconditions: 1 uid string*; 2 resourceVersion string*
        kind DeleteOptions: 1 gracePeriodSeconds int64*; 2 preconditions Preconditions; 3 orphanDependents bool*;
          4 propagationPolicy string*; 5 dryRun []string; 6 ignoreStoreReadErrorWithClusterBreakingPotential bool*

        package runtime -
        TypeMeta: 1 apiVersion string; 2 kind string
        Unknown: 1 typeMeta TypeMeta; 2 raw bytes; 3 contentEncoding string; 4 contentType string
        """;
}
