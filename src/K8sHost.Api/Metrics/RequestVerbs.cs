using K8sHost.Api.Bodies;
using K8sHost.Api.Pipeline;
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

    /// <summary>
    /// From the verb the request pipeline already resolved (<see cref="RequestInfo"/>), so the URL and query are parsed
    /// once per request; a server-side-apply PATCH is told apart by its content type.
    /// </summary>
    public static string For(HttpRequest request, RequestInfo? info) => info?.Verb switch
    {
        "get" => Get,
        "list" => List,
        "watch" => Watch,
        "create" => Post,
        "update" => Put,
        "patch" => IsApply(request.ContentType) ? Apply : Patch,
        "delete" => Delete,
        "deletecollection" => DeleteCollection,
        _ => request.Method.ToUpperInvariant(),
    };

    /// <summary>Verbs whose requests change state: kube-apiserver's "mutating" in-flight kind.</summary>
    public static bool IsMutating(string method) =>
        !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method));

    private static bool IsApply(string? contentType) =>
        contentType is not null && RequestBodyDecoders.MediaTypeOf(contentType) == "application/apply-patch+yaml";
}
