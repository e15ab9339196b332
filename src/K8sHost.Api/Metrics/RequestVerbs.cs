using K8sHost.Api.Endpoints;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Api.Bodies;
using Microsoft.AspNetCore.Http;

namespace K8sHost.Api.Metrics;

/// <summary>
/// The verb label of kube-apiserver's request metrics: the HTTP method in upper case, except GET on a collection is
/// LIST, a watch is WATCH, DELETE on a collection is DELETECOLLECTION and a server-side-apply PATCH is APPLY.
/// </summary>
public static class RequestVerbs
{
    public const string Get = "GET";
    public const string List = "LIST";
    public const string Watch = "WATCH";
    public const string Post = "POST";
    public const string Put = "PUT";
    public const string Patch = "PATCH";
    public const string Apply = "APPLY";
    public const string Delete = "DELETE";
    public const string DeleteCollection = "DELETECOLLECTION";

    public static string For(HttpRequest request, ResourceRouteMetadata route)
    {
        var method = request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method))
        {
            if (route.LegacyWatch) return Watch;
            if (route.Shape == RouteShape.Item) return Get;
            return IsWatch(request) ? Watch : List;
        }
        if (HttpMethods.IsPost(method)) return Post;
        if (HttpMethods.IsPut(method)) return Put;
        if (HttpMethods.IsPatch(method))
            return IsApply(request.ContentType) ? Apply : Patch;
        if (HttpMethods.IsDelete(method)) return route.Shape == RouteShape.Item ? Delete : DeleteCollection;
        return method.ToUpperInvariant();
    }

    /// <summary>Verbs whose requests change state: kube-apiserver's "mutating" in-flight kind.</summary>
    public static bool IsMutating(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    // A malformed watch value was already answered with a 400 Status by the handler; count it as the LIST it was not.
    private static bool IsWatch(HttpRequest request)
    {
        try { return new RequestQuery(request.Query).Watch; }
        catch (ApiError) { return false; }
    }

    private static bool IsApply(string? contentType) =>
        contentType is not null && RequestBodyDecoders.MediaTypeOf(contentType) == "application/apply-patch+yaml";
}
