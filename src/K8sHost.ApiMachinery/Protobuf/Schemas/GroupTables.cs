namespace K8sHost.ApiMachinery.Protobuf.Schemas;

/// <summary>Messages of the named groups this server serves or answers (field numbers from each generated.proto).</summary>
internal static class GroupTables
{
    public const string Text = """
        package policy policy/v1
        kind Eviction: 1 metadata meta.ObjectMeta; 2 deleteOptions meta.DeleteOptions

        package coordination coordination.k8s.io/v1
        kind Lease: 1 metadata meta.ObjectMeta; 2 spec LeaseSpec
        LeaseSpec: 1 holderIdentity string*; 2 leaseDurationSeconds int32*; 3 acquireTime MicroTime; 4 renewTime MicroTime;
          5 leaseTransitions int32*; 6 strategy string*; 7 preferredHolder string*

        package discovery discovery.k8s.io/v1
        kind EndpointSlice: 1 metadata meta.ObjectMeta; 4 addressType string*; 2 endpoints []Endpoint; 3 ports []EndpointPort
        Endpoint: 1 addresses []string; 2 conditions EndpointConditions; 3 hostname string*; 4 targetRef core.ObjectReference;
          5 deprecatedTopology map<string>; 6 nodeName string*; 7 zone string*; 8 hints EndpointHints
        EndpointConditions: 1 ready bool*; 2 serving bool*; 3 terminating bool*
        EndpointHints: 1 forZones []ForZone
        ForZone: 1 name string*
        EndpointPort: 1 name string*; 2 protocol string*; 3 port int32*; 4 appProtocol string*

        package events events.k8s.io/v1
        kind Event: 1 metadata meta.ObjectMeta; 2 eventTime MicroTime; 3 series EventSeries; 4 reportingController string;
          5 reportingInstance string; 6 action string; 7 reason string; 8 regarding core.ObjectReference; 9 related core.ObjectReference;
          10 note string; 11 type string; 12 deprecatedSource core.EventSource; 13 deprecatedFirstTimestamp Time;
          14 deprecatedLastTimestamp Time; 15 deprecatedCount int32
        EventSeries: 1 count int32*; 2 lastObservedTime MicroTime

        package rbac rbac.authorization.k8s.io/v1
        kind Role: 1 metadata meta.ObjectMeta; 2 rules []PolicyRule
        kind ClusterRole: 1 metadata meta.ObjectMeta; 2 rules []PolicyRule; 3 aggregationRule AggregationRule
        AggregationRule: 1 clusterRoleSelectors []meta.LabelSelector
        PolicyRule: 1 verbs []string; 2 apiGroups []string; 3 resources []string; 4 resourceNames []string; 5 nonResourceURLs []string
        kind RoleBinding: 1 metadata meta.ObjectMeta; 2 subjects []Subject; 3 roleRef RoleRef
        kind ClusterRoleBinding: 1 metadata meta.ObjectMeta; 2 subjects []Subject; 3 roleRef RoleRef
        Subject: 1 kind string*; 2 apiGroup string; 3 name string*; 4 namespace string
        RoleRef: 1 apiGroup string*; 2 kind string*; 3 name string*

        package authorization authorization.k8s.io/v1
        kind SelfSubjectAccessReview: 1 metadata meta.ObjectMeta; 2 spec SelfSubjectAccessReviewSpec; 3 status SubjectAccessReviewStatus
        SelfSubjectAccessReviewSpec: 1 resourceAttributes ResourceAttributes; 2 nonResourceAttributes NonResourceAttributes
        kind SubjectAccessReview: 1 metadata meta.ObjectMeta; 2 spec SubjectAccessReviewSpec; 3 status SubjectAccessReviewStatus
        kind LocalSubjectAccessReview: 1 metadata meta.ObjectMeta; 2 spec SubjectAccessReviewSpec; 3 status SubjectAccessReviewStatus
        SubjectAccessReviewSpec: 1 resourceAttributes ResourceAttributes; 2 nonResourceAttributes NonResourceAttributes; 3 user string;
          4 groups []string; 5 extra map<StringList>; 6 uid string
        ResourceAttributes: 1 namespace string; 2 verb string; 3 group string; 4 version string; 5 resource string; 6 subresource string;
          7 name string; 8 fieldSelector FieldSelectorAttributes; 9 labelSelector LabelSelectorAttributes
        FieldSelectorAttributes: 1 rawSelector string; 2 requirements []FieldSelectorRequirement
        FieldSelectorRequirement: 1 key string*; 2 operator string*; 3 values []string
        LabelSelectorAttributes: 1 rawSelector string; 2 requirements []meta.LabelSelectorRequirement
        NonResourceAttributes: 1 path string; 2 verb string
        SubjectAccessReviewStatus: 1 allowed bool*; 4 denied bool; 2 reason string; 3 evaluationError string
        kind SelfSubjectRulesReview: 1 metadata meta.ObjectMeta; 2 spec SelfSubjectRulesReviewSpec; 3 status SubjectRulesReviewStatus
        SelfSubjectRulesReviewSpec: 1 namespace string
        SubjectRulesReviewStatus: 1 resourceRules []ResourceRule; 2 nonResourceRules []NonResourceRule; 3 incomplete bool*;
          4 evaluationError string
        ResourceRule: 1 verbs []string; 2 apiGroups []string; 3 resources []string; 4 resourceNames []string
        NonResourceRule: 1 verbs []string; 2 nonResourceURLs []string

        package authentication authentication.k8s.io/v1
        kind SelfSubjectReview: 1 metadata meta.ObjectMeta; 2 status SelfSubjectReviewStatus
        SelfSubjectReviewStatus: 1 userInfo UserInfo
        UserInfo: 1 username string; 2 uid string; 3 groups []string; 4 extra map<StringList>
        """;
}
