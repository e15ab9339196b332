using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Validation;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

public class NameRulesTests
{
    [Theory]
    [InlineData("web")]
    [InlineData("a.b-c")]
    [InlineData("0abc")]
    public void IsDns1123Subdomain_ValidNames_NoErrors(string name) => Assert.Empty(NameRules.IsDns1123Subdomain(name));

    [Fact]
    public void IsDns1123Subdomain_Uppercase_ReturnsApimachineryMessage()
    {
        var errs = NameRules.IsDns1123Subdomain("Web");
        Assert.Equal(["a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"], errs);
    }

    [Fact]
    public void IsDns1123Subdomain_TooLong_ReportsLength() =>
        Assert.Contains("must be no more than 253 bytes", NameRules.IsDns1123Subdomain(new string('a', 254)));

    [Fact]
    public void IsDns1123Subdomain_TrailingNewline_IsRejected() => Assert.NotEmpty(NameRules.IsDns1123Subdomain("web\n"));

    [Fact]
    public void IsDns1123Label_Dots_SaysMustNotContainDots() =>
        Assert.Equal(["must not contain dots"], NameRules.IsDns1123Label("a.b"));

    [Fact]
    public void IsDns1123Label_Invalid_ReturnsApimachineryMessage() =>
        Assert.Equal(["a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"], NameRules.IsDns1123Label("-a"));

    [Fact]
    public void IsDns1035Label_LeadingDigit_IsRejected()
    {
        Assert.Empty(NameRules.IsDns1035Label("web-1"));
        Assert.Equal(["a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"], NameRules.IsDns1035Label("1web"));
    }

    [Theory]
    [InlineData("app", 0)]
    [InlineData("example.com/app", 0)]
    [InlineData("a/b/c", 1)]
    [InlineData("/app", 1)]
    [InlineData("Example.com/app", 1)]
    [InlineData("-app", 1)]
    public void IsQualifiedName_CountsProblems(string key, int errors) => Assert.Equal(errors, NameRules.IsQualifiedName(key).Count);

    [Fact]
    public void IsQualifiedName_BadPrefix_IsPrefixed() =>
        Assert.StartsWith("prefix part a lowercase RFC 1123 subdomain", NameRules.IsQualifiedName("Example.com/app")[0]);

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2_x", true)]
    [InlineData("-x", false)]
    [InlineData("a b", false)]
    public void IsValidLabelValue_FollowsRule(string value, bool ok) => Assert.Equal(ok, NameRules.IsValidLabelValue(value).Count == 0);

    [Fact]
    public void ObjectMeta_Valid_NoErrors()
    {
        var meta = JsonNode.Parse("""{"name":"web","namespace":"default","labels":{"app":"web"},"annotations":{"Example.com/Note":"x"},"finalizers":["example.com/f"]}""")!.AsObject();
        Assert.Empty(ObjectMetaValidation.Validate(meta, namespaced: true, NameRules.IsDns1123Subdomain));
    }

    [Fact]
    public void ObjectMeta_MissingName_RequiresNameOrGenerateName()
    {
        var errs = ObjectMetaValidation.Validate(new JsonObject { ["namespace"] = "default" }, true, NameRules.IsDns1123Subdomain).ToList();
        var e = Assert.Single(errs);
        Assert.Equal("metadata.name", e.Field);
        Assert.Equal("Required value: name or generateName is required", e.Message);
    }

    [Fact]
    public void ObjectMeta_GenerateNameWithTrailingDash_IsAccepted()
    {
        var meta = new JsonObject { ["generateName"] = "web-", ["name"] = "web-x7k2p", ["namespace"] = "default" };
        Assert.Empty(ObjectMetaValidation.Validate(meta, true, NameRules.IsDns1123Subdomain));
    }

    [Fact]
    public void ObjectMeta_ScopeRules_NamespaceRequiredOrForbidden()
    {
        var missing = ObjectMetaValidation.Validate(new JsonObject { ["name"] = "a" }, true, NameRules.IsDns1123Subdomain).Single();
        Assert.Equal(("metadata.namespace", "Required value"), (missing.Field, missing.Message));
        var forbidden = ObjectMetaValidation.Validate(new JsonObject { ["name"] = "a", ["namespace"] = "x" }, false, NameRules.IsDns1123Subdomain).Single();
        Assert.Equal(("metadata.namespace", "Forbidden: not allowed on this type"), (forbidden.Field, forbidden.Message));
    }

    [Fact]
    public void ObjectMeta_BadNameAndLabels_ReportFieldPaths()
    {
        var meta = JsonNode.Parse("""{"name":"Web","namespace":"default","labels":{"-k":"v","ok":"-v"},"generation":-1}""")!.AsObject();
        var fields = ObjectMetaValidation.Validate(meta, true, NameRules.IsDns1123Subdomain).Select(e => e.Field).ToList();
        Assert.Equal(["metadata.name", "metadata.generation", "metadata.labels", "metadata.labels"], fields);
    }

    [Fact]
    public void ObjectMeta_AnnotationsOver256KiB_AreTooLong()
    {
        var meta = new JsonObject { ["name"] = "a", ["annotations"] = new JsonObject { ["big"] = new string('x', 256 * 1024) } };
        var e = ObjectMetaValidation.Validate(meta, false, NameRules.IsDns1123Subdomain).Single();
        Assert.Equal(("metadata.annotations", "Too long: must have at most 262144 bytes"), (e.Field, e.Message));
    }

    [Fact]
    public void ObjectMeta_OwnerReferencesAndFinalizers_AreChecked()
    {
        var meta = JsonNode.Parse("""
            {"name":"a","ownerReferences":[{"apiVersion":"v1","kind":"A","name":"x","uid":"1","controller":true},{"apiVersion":"","kind":"B","name":"y","uid":"","controller":true}],
             "finalizers":["orphan","foregroundDeletion"]}
            """)!.AsObject();
        var errs = ObjectMetaValidation.Validate(meta, false, NameRules.IsDns1123Subdomain).ToList();
        Assert.Contains(errs, e => e.Field == "metadata.ownerReferences.apiVersion" && e.Detail == "version must not be empty");
        Assert.Contains(errs, e => e.Field == "metadata.ownerReferences.uid");
        Assert.Contains(errs, e => e.Field == "metadata.ownerReferences" && e.Detail.StartsWith("Only one reference can have Controller set to true", StringComparison.Ordinal));
        Assert.Contains(errs, e => e.Field == "metadata.finalizers" && e.Detail == "finalizer orphan and foregroundDeletion cannot be both set");
    }
}
