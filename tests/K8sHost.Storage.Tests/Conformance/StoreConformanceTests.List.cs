using Xunit;

namespace K8sHost.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task List_Prefix_DoesNotMatchSiblingWhoseNameStartsTheSame()
    {
        await MustCreateAsync(K("pods/a/one"), "a1");
        await MustCreateAsync(K("pods/ab/two"), "ab2");
        await MustCreateAsync(K("pods/a"), "bare");
        await MustCreateAsync(K("pods/a0/three"), "a03");

        var items = await ListAllAsync(K("pods/a/"));

        Assert.Equal([K("pods/a/one")], items.Select(i => i.Key));
    }

    [Fact]
    public async Task List_PrefixWithLikeWildcards_MatchesLiterally()
    {
        await MustCreateAsync(K("x%_/one"), "1");
        await MustCreateAsync(K("xab/two"), "2");
        await MustCreateAsync(K("x%_b/three"), "3");

        var items = await ListAllAsync(K("x%_/"));

        Assert.Equal([K("x%_/one")], items.Select(i => i.Key));
    }

    [Fact]
    public async Task List_ReturnsKeysInOrdinalByteOrder()
    {
        string[] names = ["b", "B", "a-1", "a.1", "a1", "a", "Z", "é", "z", "0", "~"];
        foreach (var name in names)
        {
            await MustCreateAsync(K(name), name);
        }

        var items = await ListAllAsync(Prefix);

        var expected = names.Select(K).OrderBy(k => k, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, items.Select(i => i.Key));
        Assert.All(items, i => Assert.Equal(i.Key[Prefix.Length..], S(i.Value)));
    }

    [Fact]
    public async Task List_ReturnsRevisionsOfEachItemAndTheReadRevision()
    {
        var a = await MustCreateAsync(K("a"), "1");
        var b = await MustCreateAsync(K("b"), "1");
        var a2 = await MustUpdateAsync(K("a"), "2", a);

        var result = await Store.ListAsync(Prefix, null, 0);

        Assert.Equal(StoreStatus.Ok, result.Status);
        Assert.True(result.Value!.Revision >= a2);
        var items = result.Value.Items;
        Assert.Equal((a, a2), (items[0].CreateRevision, items[0].ModRevision));
        Assert.Equal((b, b), (items[1].CreateRevision, items[1].ModRevision));
    }

    [Fact]
    public async Task List_WithLimitAndStartAfter_PagesThroughEveryKeyOnceAndReportsMore()
    {
        for (var i = 0; i < 10; i++)
        {
            await MustCreateAsync(K($"k{i:D2}"), $"{i}");
        }

        var first = (await Store.ListAsync(Prefix, null, 4)).Value!;
        Assert.Equal(["k00", "k01", "k02", "k03"], first.Items.Select(i => i.Key[Prefix.Length..]));
        Assert.True(first.More);

        var second = (await Store.ListAsync(Prefix, first.Items[^1].Key, 4, first.Revision)).Value!;
        Assert.Equal(["k04", "k05", "k06", "k07"], second.Items.Select(i => i.Key[Prefix.Length..]));
        Assert.True(second.More);
        Assert.Equal(first.Revision, second.Revision);

        var last = (await Store.ListAsync(Prefix, second.Items[^1].Key, 4, first.Revision)).Value!;
        Assert.Equal(["k08", "k09"], last.Items.Select(i => i.Key[Prefix.Length..]));
        Assert.False(last.More);

        var exact = (await Store.ListAsync(Prefix, K("k05"), 4, first.Revision)).Value!;
        Assert.Equal(["k06", "k07", "k08", "k09"], exact.Items.Select(i => i.Key[Prefix.Length..]));
        Assert.False(exact.More);
    }

    [Fact]
    public async Task List_PagesAtFixedRevision_SeeEveryKeyOfThatRevisionExactlyOnce_DespiteConcurrentWrites()
    {
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < 40; i++)
        {
            await MustCreateAsync(K($"k{i:D2}"), $"v{i}");
            expected[K($"k{i:D2}")] = $"v{i}";
        }

        var firstPage = (await Store.ListAsync(Prefix, null, 7)).Value!;
        var atRevision = firstPage.Revision;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var churn = Task.Run(async () =>
        {
            // Update, delete and create keys all over the range while the pages are read.
            for (var i = 0; i < 40 && !stop.IsCancellationRequested; i++)
            {
                var key = K($"k{(i * 7) % 40:D2}");
                if (i % 3 == 0)
                {
                    await Store.DeleteAsync(key, 0);
                }
                else if ((await Store.GetAsync(key)).Value is { } current)
                {
                    await Store.UpdateAsync(key, B("changed"), current.ModRevision);
                }

                await Store.CreateAsync(K($"k{i:D2}x"), B("new"));
            }
        });

        var seen = firstPage.Items.ToList();
        var page = firstPage;
        while (page.More)
        {
            await Task.Delay(5);
            var next = await Store.ListAsync(Prefix, page.Items[^1].Key, 7, atRevision);
            Assert.Equal(StoreStatus.Ok, next.Status);
            page = next.Value!;
            Assert.Equal(atRevision, page.Revision);
            seen.AddRange(page.Items);
        }

        await churn.WaitAsync(stop.Token);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), seen.Select(i => i.Key));
        Assert.All(seen, i => Assert.Equal(expected[i.Key], S(i.Value)));
    }

    [Fact]
    public async Task List_AtOlderRevision_ReturnsTheValuesAsOfThen()
    {
        var a = await MustCreateAsync(K("a"), "a-old");
        await MustCreateAsync(K("b"), "b-old");
        var then = await Store.GetCurrentRevisionAsync();
        await MustUpdateAsync(K("a"), "a-new", a);
        await MustDeleteAsync(K("b"));
        await MustCreateAsync(K("c"), "c-new");

        var old = await Store.ListAsync(Prefix, null, 0, then);
        var now = await ListAllAsync(Prefix);

        Assert.Equal(StoreStatus.Ok, old.Status);
        Assert.Equal(then, old.Value!.Revision);
        Assert.Equal([(K("a"), "a-old"), (K("b"), "b-old")], old.Value.Items.Select(i => (i.Key, S(i.Value))));
        Assert.Equal(a, old.Value.Items[0].ModRevision);
        Assert.Equal([(K("a"), "a-new"), (K("c"), "c-new")], now.Select(i => (i.Key, S(i.Value))));
    }

    [Fact]
    public async Task List_EmptyPrefixRange_ReturnsNoItemsAndCurrentRevision()
    {
        var before = await Store.GetCurrentRevisionAsync();

        var result = await Store.ListAsync(K("nothing/"), null, 10);

        Assert.Equal(StoreStatus.Ok, result.Status);
        Assert.Empty(result.Value!.Items);
        Assert.False(result.Value.More);
        Assert.True(result.Value.Revision >= before);
    }
}
