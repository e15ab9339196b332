using System.Text.Json.Nodes;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Selectors;
using Xunit;

namespace K8sHost.UnitTests.ApiMachinery;

public class SelectorTests
{
    private static Dictionary<string, string> L(params string[] kv)
    {
        var d = new Dictionary<string, string>();
        for (var i = 0; i < kv.Length; i += 2) d[kv[i]] = kv[i + 1];
        return d;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void LabelParse_Empty_MatchesEverything(string? s)
    {
        var sel = LabelSelector.Parse(s);
        Assert.True(sel.IsEmpty);
        Assert.True(sel.Matches(L()));
    }

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app!=db", true)]
    [InlineData("missing!=x", true)]
    [InlineData("app in (web,db)", true)]
    [InlineData("app in (db)", false)]
    [InlineData("app notin (db, cache)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("missing notin (web)", true)]
    [InlineData("app", true)]
    [InlineData("!app", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier=fe", true)]
    [InlineData("app=web,tier=be", false)]
    [InlineData("app=web, !missing, tier in (fe)", true)]
    [InlineData("replicas>2", true)]
    [InlineData("replicas<2", false)]
    [InlineData("example.com/team=core", true)]
    [InlineData("app=", false)]
    public void LabelParse_Operators_MatchLikeApimachinery(string selector, bool expected)
    {
        var labels = L("app", "web", "tier", "fe", "replicas", "3", "example.com/team", "core");
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(labels));
    }

    [Fact]
    public void LabelParse_KeywordsAsKeysAndValues_AreIdentifiers()
    {
        Assert.True(LabelSelector.Parse("in").Matches(L("in", "x")));
        Assert.True(LabelSelector.Parse("in in (notin)").Matches(L("in", "notin")));
        Assert.True(LabelSelector.Parse("x in (,a)").Matches(L("x", "")));
    }

    [Fact]
    public void LabelParse_EmptyValueEquals_MatchesEmptyLabel() =>
        Assert.True(LabelSelector.Parse("app=").Matches(L("app", "")));

    [Theory]
    [InlineData("app=a b", "found 'b', expected: ',' or 'end of string'")]
    [InlineData("app in web", "unable to parse requirement: found 'web' expected: '('")]
    [InlineData("app in (web", "unable to parse requirement: found '', expected: ',' or ')'")]
    [InlineData("=web", "found '=', expected: !, identifier, or 'end of string'")]
    [InlineData("app=web,", "found '', expected: identifier after ','")]
    [InlineData("app foo web", "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("bad key!=x", "unable to parse requirement: found 'key', expected: in, notin, =, ==, !=, gt, lt")]
    public void LabelParse_SyntaxErrors_Return400WithApimachineryMessage(string selector, string message)
    {
        var ex = Assert.Throws<ApiError>(() => LabelSelector.Parse(selector));
        Assert.Equal(400, ex.Code);
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void LabelParse_InvalidValue_Returns400NamingValueRule()
    {
        var ex = Assert.Throws<ApiError>(() => LabelSelector.Parse("app=-bad-"));
        Assert.Equal(400, ex.Code);
        Assert.StartsWith("unable to parse requirement: values[0][app]: Invalid value: \"-bad-\": a valid label must be an empty string", ex.Message);
    }

    [Fact]
    public void LabelParse_InvalidKey_Returns400NamingKeyRule()
    {
        var ex = Assert.Throws<ApiError>(() => LabelSelector.Parse("-app=x"));
        Assert.Contains("name part must consist of alphanumeric characters", ex.Message);
    }

    [Fact]
    public void LabelParse_GtWithNonInteger_Returns400()
    {
        var ex = Assert.Throws<ApiError>(() => LabelSelector.Parse("a>b"));
        Assert.Contains("the value must be an integer", ex.Message);
    }

    [Fact]
    public void LabelFromJson_MatchLabelsAndExpressions_AreAnded()
    {
        var sel = LabelSelector.FromJson(JsonNode.Parse("""
            {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"tier","operator":"In","values":["fe","be"]},{"key":"canary","operator":"DoesNotExist"}]}
            """)!.AsObject());
        Assert.True(sel.Matches(L("app", "web", "tier", "fe")));
        Assert.False(sel.Matches(L("app", "web", "tier", "fe", "canary", "1")));
        Assert.False(sel.Matches(L("app", "db", "tier", "fe")));
    }

    [Fact]
    public void LabelFromJson_NullMatchesNothing_EmptyMatchesEverything()
    {
        Assert.False(LabelSelector.FromJson(null).Matches(L("a", "b")));
        Assert.True(LabelSelector.FromJson(new JsonObject()).Matches(L("a", "b")));
    }

    [Fact]
    public void LabelFromJson_BadOperator_Returns400()
    {
        var ex = Assert.Throws<ApiError>(() => LabelSelector.FromJson(JsonNode.Parse("""{"matchExpressions":[{"key":"a","operator":"Foo"}]}""")!.AsObject()));
        Assert.Equal("\"Foo\" is not a valid label selector operator", ex.Message);
    }

    [Fact]
    public void FieldParse_EqualityAndInequality_AreAnded()
    {
        var sel = FieldSelector.Parse("spec.nodeName=node1,status.phase!=Succeeded,status.phase!=Failed");
        Assert.True(sel.Matches(L("spec.nodeName", "node1", "status.phase", "Running")));
        Assert.False(sel.Matches(L("spec.nodeName", "node1", "status.phase", "Failed")));
        Assert.False(sel.Matches(L("spec.nodeName", "node2", "status.phase", "Running")));
        Assert.Equal(["spec.nodeName", "status.phase"], sel.Fields.Order());
    }

    [Fact]
    public void FieldParse_DoubleEquals_TryGetExactFindsValue()
    {
        var sel = FieldSelector.Parse("metadata.name==web");
        Assert.True(sel.TryGetExact("metadata.name", out var v));
        Assert.Equal("web", v);
        Assert.False(sel.TryGetExact("metadata.namespace", out _));
        Assert.False(FieldSelector.Parse("metadata.name!=web").TryGetExact("metadata.name", out _));
    }

    [Fact]
    public void FieldParse_EscapedValue_IsUnescaped()
    {
        var sel = FieldSelector.Parse(@"metadata.name=a\,b\=c\\d,x=y");
        Assert.True(sel.TryGetExact("metadata.name", out var v));
        Assert.Equal(@"a,b=c\d", v);
        Assert.Equal(2, sel.Requirements.Count);
    }

    [Fact]
    public void FieldParse_Empty_MatchesEverything()
    {
        Assert.True(FieldSelector.Parse(null).IsEmpty);
        Assert.True(FieldSelector.Parse("").Matches(L()));
    }

    [Theory]
    [InlineData("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'")]
    [InlineData(@"a=b\x", @"invalid field selector: invalid escape sequence: \x")]
    [InlineData(@"a=b\", @"invalid field selector: invalid escape sequence: \")]
    [InlineData("a=b=c", "invalid field selector: unescaped character in value: 61")]
    public void FieldParse_Malformed_Returns400WithApimachineryMessage(string selector, string message)
    {
        var ex = Assert.Throws<ApiError>(() => FieldSelector.Parse(selector));
        Assert.Equal(400, ex.Code);
        Assert.Equal(message, ex.Message);
    }
}
