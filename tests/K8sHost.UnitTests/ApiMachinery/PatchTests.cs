using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Patch;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

public class JsonPatchTests
{
    private static JsonNode J(string s) => JsonNode.Parse(s)!;

    private static string Apply(string target, string patch) =>
        JsonPatch.Apply(J(target), Encoding.UTF8.GetBytes(patch)).ToJsonString();

    [Fact]
    public void Apply_AllOperations_FollowRfc6902()
    {
        var result = Apply("""{"a":{"b":1},"list":[1,2,3],"c":"x"}""", """
            [{"op":"add","path":"/a/new","value":true},
             {"op":"add","path":"/list/-","value":4},
             {"op":"add","path":"/list/0","value":0},
             {"op":"remove","path":"/list/1"},
             {"op":"replace","path":"/c","value":"y"},
             {"op":"move","from":"/a/b","path":"/moved"},
             {"op":"copy","from":"/c","path":"/copied"},
             {"op":"test","path":"/copied","value":"y"}]
            """);
        Assert.Equal("""{"a":{"new":true},"list":[0,2,3,4],"c":"y","moved":1,"copied":"y"}""", result);
    }

    [Fact]
    public void Apply_EscapedPointer_AddressesKeysWithSlashAndTilde() =>
        Assert.Equal("""{"metadata":{"labels":{"example.com/x":"1","a~b":"2"}}}""",
            Apply("""{"metadata":{"labels":{}}}""", """[{"op":"add","path":"/metadata/labels/example.com~1x","value":"1"},{"op":"add","path":"/metadata/labels/a~0b","value":"2"}]"""));

    [Fact]
    public void Apply_DoesNotModifyTarget()
    {
        var target = J("""{"a":1}""");
        JsonPatch.Apply(target, Encoding.UTF8.GetBytes("""[{"op":"replace","path":"/a","value":2}]"""));
        Assert.Equal("""{"a":1}""", target.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""", "testing value /a failed: test failed")]
    [InlineData("""[{"op":"remove","path":"/missing"}]""")]
    [InlineData("""[{"op":"replace","path":"/missing","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/x/y","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/list/5","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/list/01","value":1}]""")]
    [InlineData("""[{"op":"bogus","path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"/a"}]""")]
    [InlineData("""[{"op":"move","from":"/list","path":"/list/0"}]""")]
    public void Apply_OperationThatCannotApply_Returns422WithoutCauses(string patch, string? message = null)
    {
        var ex = Assert.Throws<ApiError>(() => Apply("""{"a":1,"list":[1]}""", patch));
        Assert.Equal(422, ex.Code);
        Assert.Equal("Invalid", ex.Reason);
        Assert.Empty(ex.Causes);
        if (message is not null) Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("""{"op":"add"}""")]
    [InlineData("""[1]""")]
    [InlineData("""[{"op":"add","path":""")]
    public void Apply_MalformedPatchDocument_Returns400(string patch)
    {
        var ex = Assert.Throws<ApiError>(() => Apply("""{"a":1}""", patch));
        Assert.Equal(400, ex.Code);
    }

    private const string SloppyOps = """[{"op":"add","path":"/a","value":1,"foo":"bar"},{"op":"add","path":"/b","path":"/c","value":2}]""";

    [Fact]
    public void Decode_StrictWithUnknownOrDuplicateOperationFields_Returns400()
    {
        var ex = Assert.Throws<ApiError>(() => JsonPatch.Decode(Encoding.UTF8.GetBytes(SloppyOps), K8sHost.ApiMachinery.FieldValidation.Strict, new List<string>()));
        Assert.Equal(400, ex.Code);
        Assert.Equal("strict decoding error: json patch unknown field \"[0].foo\", json patch duplicate field \"[1].path\"", ex.Message);
    }

    [Fact]
    public void Decode_Warn_ReportsProblemsAndLastPathWins()
    {
        var warnings = new List<string>();
        var ops = JsonPatch.Decode(Encoding.UTF8.GetBytes(SloppyOps), K8sHost.ApiMachinery.FieldValidation.Warn, warnings);
        Assert.Equal(["json patch unknown field \"[0].foo\"", "json patch duplicate field \"[1].path\""], warnings);
        Assert.Equal("""{"x":0,"a":1,"c":2}""", JsonPatch.Apply(J("""{"x":0}"""), ops).ToJsonString());
    }

    [Fact]
    public void Decode_IgnoreOrNotAnArray_BehaveLikeApiserver()
    {
        var warnings = new List<string>();
        JsonPatch.Decode(Encoding.UTF8.GetBytes(SloppyOps), K8sHost.ApiMachinery.FieldValidation.Ignore, warnings);
        Assert.Empty(warnings);
        Assert.Equal(400, Assert.Throws<ApiError>(() => JsonPatch.Decode(Encoding.UTF8.GetBytes("{}"), K8sHost.ApiMachinery.FieldValidation.Ignore, warnings)).Code);
    }

    [Fact]
    public void Apply_ExponentialCopies_AreBounded()
    {
        // Each copy holds all earlier ones, so the document doubles per operation.
        var ops = string.Join(",", Enumerable.Range(0, 40).Select(i => $$"""{"op":"copy","from":"/a","path":"/a/x{{i}}"}"""));
        var ex = Assert.Throws<ApiError>(() => Apply("""{"a":{"b":[1,2,3,4]}}""", "[" + ops + "]"));
        Assert.Equal(422, ex.Code);
    }
}

public class MergePatchTests
{
    private static JsonNode J(string s) => JsonNode.Parse(s)!;

    [Theory]
    [InlineData("""{"a":"b"}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"b":"c"}""", """{"a":"b","b":"c"}""")]
    [InlineData("""{"a":"b"}""", """{"a":null}""", """{}""")]
    [InlineData("""{"a":"b","b":"c"}""", """{"a":null}""", """{"b":"c"}""")]
    [InlineData("""{"a":["b"]}""", """{"a":"c"}""", """{"a":"c"}""")]
    [InlineData("""{"a":"c"}""", """{"a":["b"]}""", """{"a":["b"]}""")]
    [InlineData("""{"a":{"b":"c"}}""", """{"a":{"b":"d","c":null}}""", """{"a":{"b":"d"}}""")]
    [InlineData("""{"a":[{"b":"c"}]}""", """{"a":[1]}""", """{"a":[1]}""")]
    [InlineData("""{"e":null}""", """{"a":1}""", """{"e":null,"a":1}""")]
    [InlineData("""[1,2]""", """{"a":"b","c":null}""", """{"a":"b"}""")]
    [InlineData("""{}""", """{"a":{"bb":{"ccc":null}}}""", """{"a":{"bb":{}}}""")]
    public void Apply_Rfc7386Examples(string target, string patch, string expected) =>
        Assert.Equal(J(expected).ToJsonString(), MergePatch.Apply(J(target), J(patch))!.ToJsonString());

    [Fact]
    public void Apply_LabelRemoval_LikeKubectlUnlabel()
    {
        var result = MergePatch.Apply(J("""{"metadata":{"labels":{"tier":"fe","app":"web"}}}"""), Encoding.UTF8.GetBytes("""{"metadata":{"labels":{"tier":null}}}"""));
        Assert.Equal("""{"metadata":{"labels":{"app":"web"}}}""", result!.ToJsonString());
    }

    [Fact]
    public void Apply_MalformedBytes_Returns400() =>
        Assert.Equal(400, Assert.Throws<ApiError>(() => MergePatch.Apply(J("{}"), Encoding.UTF8.GetBytes("{"))).Code);
}

public class StrategicMergePatchTests
{
    private static JsonObject J(string s) => JsonNode.Parse(s)!.AsObject();

    private static string Pod(string target, string patch) =>
        StrategicMergePatch.Apply(J(target), J(patch), typeof(V1Pod)).ToJsonString();

    private static void Same(string expected, string actual) => Assert.Equal(J(expected).ToJsonString(), actual);

    [Fact]
    public void Apply_ContainersMergeByName_LikeKubectlApply()
    {
        var result = Pod(
            """{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox"}]}}""",
            """{"metadata":{"annotations":{"x":"1"}},"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"sidecar"}],"containers":[{"image":"nginx:1.28","name":"nginx"}]}}""");
        Same("""{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28","ports":[{"containerPort":80}]},{"name":"sidecar","image":"busybox"}]},"metadata":{"annotations":{"x":"1"}}}""", result);
    }

    [Fact]
    public void Apply_NewListElementWithoutOrder_GoesFirstLikeApimachinery()
    {
        // mergeSlice orders by the patch; an item the server lacks sorts before the server-only items.
        var result = Pod("""{"spec":{"containers":[{"name":"a","image":"x"}]}}""", """{"spec":{"containers":[{"name":"b","image":"y"}]}}""");
        Same("""{"spec":{"containers":[{"name":"b","image":"y"},{"name":"a","image":"x"}]}}""", result);
    }

    [Fact]
    public void Apply_PatchOrderOfExistingItems_IsKept()
    {
        var result = Pod("""{"spec":{"containers":[{"name":"a"},{"name":"s"},{"name":"b"}]}}""", """{"spec":{"containers":[{"name":"b","image":"1"},{"name":"a","image":"2"}]}}""");
        Same("""{"spec":{"containers":[{"name":"s"},{"name":"b","image":"1"},{"name":"a","image":"2"}]}}""", result);
    }

    [Fact]
    public void Apply_NewItemWithSetElementOrder_IsPlacedByTheOrder()
    {
        var result = Pod("""{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"},{"name":"c"}],"containers":[{"name":"c"}]}}""");
        Same("""{"spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"}]}}""", result);
    }

    [Fact]
    public void Apply_NestedMergeKeys_EnvByNameAndPortsByContainerPort()
    {
        var result = Pod(
            """{"spec":{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80,"name":"http"}],"volumeMounts":[{"name":"v","mountPath":"/data"}]}]}}""",
            """{"spec":{"containers":[{"name":"a","env":[{"name":"B","value":"3"}],"ports":[{"containerPort":80,"protocol":"TCP"}],"volumeMounts":[{"mountPath":"/data","readOnly":true}]}]}}""");
        Same("""{"spec":{"containers":[{"name":"a","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}],"ports":[{"containerPort":80,"name":"http","protocol":"TCP"}],"volumeMounts":[{"name":"v","mountPath":"/data","readOnly":true}]}]}}""", result);
    }

    [Fact]
    public void Apply_ListWithoutMergeKey_IsReplaced()
    {
        var result = Pod("""{"spec":{"tolerations":[{"key":"a"}],"containers":[{"name":"c","args":["1","2"]}]}}""",
            """{"spec":{"tolerations":[{"key":"b"}],"containers":[{"name":"c","args":["3"]}]}}""");
        Same("""{"spec":{"tolerations":[{"key":"b"}],"containers":[{"name":"c","args":["3"]}]}}""", result);
    }

    [Fact]
    public void Apply_NullDeletesField()
    {
        var result = Pod("""{"metadata":{"labels":{"a":"1","b":"2"}},"spec":{"nodeName":"n"}}""", """{"metadata":{"labels":{"a":null}},"spec":{"nodeName":null}}""");
        Same("""{"metadata":{"labels":{"b":"2"}},"spec":{}}""", result);
    }

    [Fact]
    public void Apply_PatchDeleteOnListElement_RemovesByMergeKey()
    {
        var result = Pod("""{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""", """{"spec":{"containers":[{"name":"a","$patch":"delete"}]}}""");
        Same("""{"spec":{"containers":[{"name":"b"}]}}""", result);
    }

    [Fact]
    public void Apply_PatchReplaceOnList_ReplacesWholeList()
    {
        var result = Pod("""{"spec":{"containers":[{"name":"a"},{"name":"b"}]}}""", """{"spec":{"containers":[{"name":"c"},{"$patch":"replace"}]}}""");
        Same("""{"spec":{"containers":[{"name":"c"}]}}""", result);
    }

    [Fact]
    public void Apply_PatchReplaceOnMap_ReplacesMap()
    {
        var result = Pod("""{"metadata":{"labels":{"a":"1","b":"2"}}}""", """{"metadata":{"labels":{"$patch":"replace","c":"3"}}}""");
        Same("""{"metadata":{"labels":{"c":"3"}}}""", result);
    }

    [Fact]
    public void Apply_PatchDeleteOnMap_RemovesMap()
    {
        var result = Pod("""{"metadata":{"name":"x","labels":{"a":"1"}}}""", """{"metadata":{"labels":{"$patch":"delete"}}}""");
        Same("""{"metadata":{"name":"x"}}""", result);
    }

    [Fact]
    public void Apply_ReplaceMarkerInsideListElement_ReplacesWholeListWithPlainElements()
    {
        var result = Pod("""{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b"}]}}""",
            """{"spec":{"containers":[{"name":"c"},{"name":"a","image":"y","$patch":"replace"}]}}""");
        Same("""{"spec":{"containers":[{"name":"c"}]}}""", result);
    }

    [Fact]
    public void Apply_MergeDirectiveOnListElement_Returns400() =>
        Assert.Equal(400, Assert.Throws<ApiError>(() => Pod("""{"spec":{"containers":[]}}""", """{"spec":{"containers":[{"name":"a","$patch":"merge"}]}}""")).Code);

    [Fact]
    public void Apply_UnknownPatchDirective_Returns400() =>
        Assert.Equal(400, Assert.Throws<ApiError>(() => Pod("""{"metadata":{}}""", """{"metadata":{"$patch":"explode"}}""")).Code);

    [Fact]
    public void Apply_ElementWithoutMergeKey_Returns400()
    {
        var ex = Assert.Throws<ApiError>(() => Pod("""{"spec":{"containers":[{"name":"a"}]}}""", """{"spec":{"containers":[{"image":"x"}]}}"""));
        Assert.Equal(400, ex.Code);
        Assert.Contains("does not contain declared merge key: name", ex.Message);
    }

    [Fact]
    public void Apply_FinalizersMergeAsSet_AndDeleteFromPrimitiveList()
    {
        var merged = Pod("""{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"finalizers":["b","c"]}}""");
        Same("""{"metadata":{"finalizers":["a","b","c"]}}""", merged);
        var deleted = Pod("""{"metadata":{"finalizers":["a","b","c"]}}""", """{"metadata":{"$deleteFromPrimitiveList/finalizers":["b"]}}""");
        Same("""{"metadata":{"finalizers":["a","c"]}}""", deleted);
    }

    [Fact]
    public void Apply_SetElementOrder_KeepsServerOnlyItemsInPlace()
    {
        var result = Pod(
            """{"spec":{"containers":[{"name":"a"},{"name":"s"},{"name":"b"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"a"},{"name":"b"},{"name":"c"}],"containers":[{"name":"c"}]}}""");
        Same("""{"spec":{"containers":[{"name":"a"},{"name":"s"},{"name":"b"},{"name":"c"}]}}""", result);
    }

    [Fact]
    public void Apply_SetElementOrderWithoutList_ReordersExistingItems()
    {
        var result = Pod(
            """{"spec":{"containers":[{"name":"a","image":"x"},{"name":"b"}]}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}]}}""");
        Same("""{"spec":{"containers":[{"name":"b"},{"name":"a","image":"x"}]}}""", result);
    }

    [Fact]
    public void Apply_SetElementOrderForPrimitives_Reorders()
    {
        var result = Pod("""{"metadata":{"finalizers":["a","b"]}}""", """{"metadata":{"$setElementOrder/finalizers":["b","a"]}}""");
        Same("""{"metadata":{"finalizers":["b","a"]}}""", result);
    }

    [Fact]
    public void Apply_RetainKeys_DropsKeysNotListed()
    {
        var result = StrategicMergePatch.Apply(
            J("""{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}"""),
            J("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}"""),
            typeof(V1Deployment)).ToJsonString();
        Same("""{"spec":{"strategy":{"type":"Recreate"}}}""", result);
    }

    [Fact]
    public void Apply_RetainKeysNotCoveringPatch_Returns400()
    {
        var ex = Assert.Throws<ApiError>(() => StrategicMergePatch.Apply(J("""{"spec":{}}"""),
            J("""{"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":{"maxSurge":1}}}}"""), typeof(V1Deployment)));
        Assert.Equal(400, ex.Code);
        Assert.Equal("invalid patch format of retainKeys", ex.Message);
    }

    [Fact]
    public void Apply_VolumesRetainKeys_ReplacesVolumeSource()
    {
        var result = Pod("""{"spec":{"volumes":[{"name":"v","emptyDir":{}}]}}""",
            """{"spec":{"volumes":[{"name":"v","$retainKeys":["configMap","name"],"configMap":{"name":"cm"}}]}}""");
        Same("""{"spec":{"volumes":[{"name":"v","configMap":{"name":"cm"}}]}}""", result);
    }

    [Fact]
    public void Apply_DirectivesNeverLeak_WhenListIsNew()
    {
        var result = Pod("""{"spec":{}}""",
            """{"spec":{"$setElementOrder/containers":[{"name":"a"}],"containers":[{"name":"a","env":[{"name":"X","$patch":"delete"},{"name":"Y","value":"1"}],"x":null}]}}""");
        Same("""{"spec":{"containers":[{"name":"a","env":[{"name":"Y","value":"1"}]}]}}""", result);
        Assert.DoesNotContain("$", result);
    }

    [Fact]
    public void Apply_ConditionsMergeByType_OnStatus()
    {
        var result = Pod("""{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Initialized","status":"True"}]}}""",
            """{"status":{"conditions":[{"type":"Ready","status":"True"}]}}""");
        Same("""{"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"Initialized","status":"True"}]}}""", result);
    }

    [Fact]
    public void Apply_ServicePortsMergeByPort()
    {
        var result = StrategicMergePatch.Apply(J("""{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}"""),
            J("""{"spec":{"ports":[{"port":443,"targetPort":8443}]}}"""), typeof(V1Service)).ToJsonString();
        Same("""{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https","targetPort":8443}]}}""", result);
    }

    [Fact]
    public void Apply_DoesNotModifyInputs()
    {
        var target = J("""{"metadata":{"labels":{"a":"1"}}}""");
        var patch = J("""{"metadata":{"labels":{"a":null}}}""");
        StrategicMergePatch.Apply(target, patch, typeof(V1Pod));
        Assert.Equal("""{"metadata":{"labels":{"a":"1"}}}""", target.ToJsonString());
        Assert.Equal("""{"metadata":{"labels":{"a":null}}}""", patch.ToJsonString());
    }

    [Fact]
    public void Apply_MalformedBytes_Returns400()
    {
        Assert.Equal(400, Assert.Throws<ApiError>(() => StrategicMergePatch.Apply(J("{}"), Encoding.UTF8.GetBytes("[1]"), typeof(V1Pod))).Code);
        Assert.Equal(400, Assert.Throws<ApiError>(() => StrategicMergePatch.Apply(J("{}"), Encoding.UTF8.GetBytes("{"), typeof(V1Pod))).Code);
    }

    [Fact]
    public void MergeKeyTable_KnowsTheCommonLists()
    {
        Assert.Equal("name", PatchMergeKeys.Lookup(typeof(V1PodSpec), "containers")!.MergeKey);
        Assert.Equal("mountPath", PatchMergeKeys.Lookup(typeof(V1Container), "volumeMounts")!.MergeKey);
        Assert.Equal("uid", PatchMergeKeys.Lookup(typeof(V1ObjectMeta), "ownerReferences")!.MergeKey);
        Assert.Equal("type", PatchMergeKeys.Lookup(typeof(V1NodeStatus), "addresses")!.MergeKey);
        Assert.Null(PatchMergeKeys.Lookup(typeof(V1PodSpec), "tolerations"));
    }
}
