using System.Text.Json.Nodes;
using K8sHost.Api.Auth;
using K8sHost.Api.Bodies;
using K8sHost.Api.Negotiation;
using K8sHost.Api.Responses;
using K8sHost.Api.Watch;
using K8sHost.ApiMachinery;
using K8sHost.ApiMachinery.Errors;
using K8sHost.Registry.Catalog;
using K8sHost.Registry.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace K8sHost.Api.Endpoints;

/// <summary>
/// The generic endpoints: one handler per verb for every kind. They only translate HTTP to registry calls and
/// registry results to HTTP; every object rule lives in the IResourceRegistry.
/// </summary>
public static class ResourceHandlers
{
    /// <summary>GET (list/watch), POST (create) and DELETE (deletecollection) on a collection; ns null = all namespaces or cluster scope.</summary>
    public static Task Collection(HttpContext http, ResourceDescriptor d, string? ns, bool legacyWatch, bool allNamespaces) =>
        http.Request.Method switch
        {
            "GET" when legacyWatch || new RequestQuery(http.Request.Query).Watch => Watch(http, d, ns, null),
            "GET" => List(http, d, ns),
            "POST" when !allNamespaces && !legacyWatch => Create(http, d, ns),
            "DELETE" when !allNamespaces && !legacyWatch => DeleteCollection(http, d, ns),
            var m => throw ResourceVerb.NotAllowed(m, d, null),
        };

    public static Task Item(HttpContext http, ResourceDescriptor d, string? ns, string name, bool legacyWatch) =>
        http.Request.Method switch
        {
            "GET" when legacyWatch => Watch(http, d, ns, name),
            "GET" => Get(http, d, ns, name),
            "PUT" when !legacyWatch => Update(http, d, ns, name, null),
            "PATCH" when !legacyWatch => Patch(http, d, ns, name, null),
            "DELETE" when !legacyWatch => Delete(http, d, ns, name),
            var m => throw ResourceVerb.NotAllowed(m, d, null),
        };

    public static Task Subresource(HttpContext http, ResourceDescriptor d, string? ns, string name, string sub) =>
        (sub, http.Request.Method) switch
        {
            ("status", "GET") => Get(http, d, ns, name),
            ("status", "PUT") => Update(http, d, ns, name, "status"),
            ("status", "PATCH") => Patch(http, d, ns, name, "status"),
            ("eviction", "POST") => Evict(http, d, ns, name),
            ("binding", "POST") => Bind(http, d, ns, name),
            ("log", "GET") => Log(http, d, ns, name),
            ("exec" or "attach" or "portforward", "GET" or "POST") => ContainerStream(http, d, ns, name, sub),
            var (_, m) => throw ResourceVerb.NotAllowed(m, d, sub),
        };

    private static async Task Get(HttpContext http, ResourceDescriptor d, string? ns, string name)
    {
        ResourceVerb.Require(d, "get");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept);
        var include = q.IncludeObject;
        var ov = await s.Registry.GetAsync(http.GetRequestContext(), d, ns, name, new GetOptions(q.Get("resourceVersion")), http.RequestAborted);
        await ObjectResponses.WriteAsync(http, StatusCodes.Status200OK, format, d, ov, include, s.Clock.GetUtcNow());
    }

    private static async Task List(HttpContext http, ResourceDescriptor d, string? ns)
    {
        ResourceVerb.Require(d, "list");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept);
        var include = q.IncludeObject;
        var list = await s.Registry.ListAsync(http.GetRequestContext(), d, ns, q.ListOptions(), http.RequestAborted);
        await ListResponses.WriteAsync(http, StatusCodes.Status200OK, format, d, list, include, s.Clock.GetUtcNow());
    }

    private static async Task Watch(HttpContext http, ResourceDescriptor d, string? ns, string? name)
    {
        ResourceVerb.Require(d, "watch");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        // Watch streams are JSON lines; YAML has no streaming form, so it is not offered here.
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept, allowYaml: false);
        var include = q.IncludeObject;
        var options = q.WatchOptions(name is null ? null : "metadata.name=" + name);
        var subscription = await s.Registry.WatchAsync(http.GetRequestContext(), d, ns, options, http.RequestAborted);
        await using (subscription)
            await WatchStreamWriter.StreamAsync(http, subscription, d, format, include, options.Timeout, s.Clock);
    }

    private static async Task Create(HttpContext http, ResourceDescriptor d, string? ns)
    {
        ResourceVerb.Require(d, "create");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept);
        var options = q.WriteOptions();
        var obj = await ReadObjectAsync(http, s, options.FieldValidation, options.Warnings, d.Kind);
        // kind/apiVersion/namespace/name against the URL are checked once, in the registry.
        var result = await s.Registry.CreateAsync(http.GetRequestContext(), d, ns, obj, options, http.RequestAborted);
        await WriteWriteResultAsync(http, s, format, d, result, options, q.IncludeObject, StatusCodes.Status201Created);
    }

    private static async Task Update(HttpContext http, ResourceDescriptor d, string? ns, string name, string? sub)
    {
        ResourceVerb.Require(d, "update");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept);
        var options = q.WriteOptions();
        var obj = await ReadObjectAsync(http, s, options.FieldValidation, options.Warnings, d.Kind);
        var result = await s.Registry.UpdateAsync(http.GetRequestContext(), d, ns, name, sub, obj, options, http.RequestAborted);
        await WriteWriteResultAsync(http, s, format, d, result, options, q.IncludeObject,
            result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task Patch(HttpContext http, ResourceDescriptor d, string? ns, string name, string? sub)
    {
        ResourceVerb.Require(d, "patch");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept);
        var options = q.WriteOptions();
        var type = PatchTypes.FromContentType(http.Request.ContentType);
        if (options.Force && type != PatchType.Apply)
            throw ApiError.BadRequest("force: Invalid value: true: may not be specified for non-apply patch");
        var body = await RequestBodyReader.ReadAsync(http, s.Options.MaxRequestBodyBytes, http.RequestAborted);
        if (body.IsEmpty) throw ApiError.BadRequest("the body of the patch request is empty");
        var result = await s.Registry.PatchAsync(http.GetRequestContext(), d, ns, name, sub, new PatchRequest(type, body), options, http.RequestAborted);
        await WriteWriteResultAsync(http, s, format, d, result, options, q.IncludeObject,
            result.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK);
    }

    private static async Task Delete(HttpContext http, ResourceDescriptor d, string? ns, string name)
    {
        ResourceVerb.Require(d, "delete");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept);
        var options = q.ApplyTo(await ReadDeleteOptionsAsync(http, s));
        var result = await s.Registry.DeleteAsync(http.GetRequestContext(), d, ns, name, options, http.RequestAborted);
        // kube-apiserver answers 200 even when deletion is pending (graceful, finalizers, namespaces); 202 only when the
        // caller asked for foreground cascading and the object is still there.
        var code = !result.Removed && options.PropagationPolicy == "Foreground" ? StatusCodes.Status202Accepted : StatusCodes.Status200OK;
        await ObjectResponses.WriteAsync(http, code, format, d, result.Object, q.IncludeObject, s.Clock.GetUtcNow());
    }

    private static async Task DeleteCollection(HttpContext http, ResourceDescriptor d, string? ns)
    {
        ResourceVerb.Require(d, "deletecollection");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var format = AcceptNegotiator.Negotiate(http.Request.Headers.Accept);
        var options = q.ApplyTo(await ReadDeleteOptionsAsync(http, s));
        var deleted = await s.Registry.DeleteCollectionAsync(http.GetRequestContext(), d, ns, q.ListOptions(), options, http.RequestAborted);
        await ListResponses.WriteAsync(http, StatusCodes.Status200OK, format, d, deleted, q.IncludeObject, s.Clock.GetUtcNow());
    }

    /// <summary>POST pods/{name}/eviction: a policy/v1 Eviction deletes the pod; the reply is 201 with a Status Success.</summary>
    private static async Task Evict(HttpContext http, ResourceDescriptor d, string? ns, string name)
    {
        ResourceVerb.Require(d, "delete");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var warnings = new List<string>();
        var eviction = await ReadObjectAsync(http, s, FieldValidation.Ignore, warnings, "Eviction");
        var apiVersion = BodyChecks.StringField(eviction, "apiVersion");
        BodyChecks.TypeMeta(eviction, "Eviction", apiVersion is "policy/v1beta1" ? apiVersion : "policy/v1");
        if (BodyChecks.StringField(BodyChecks.Metadata(eviction), "name") is { Length: > 0 } evictName && evictName != name)
            throw ApiError.BadRequest($"name in URL does not match name in Eviction object");
        var deleteOptions = q.ApplyTo(ParseDeleteOptions(eviction["deleteOptions"] switch
        {
            null => null,
            JsonObject o => o,
            _ => throw ApiError.BadRequest("error decoding request body: deleteOptions must be an object"),
        }));
        await s.Registry.DeleteAsync(http.GetRequestContext(), d, ns, name, deleteOptions, http.RequestAborted);
        http.Response.StatusCode = StatusCodes.Status201Created;
        await StatusResponses.WriteJsonAsync(http, StatusResponses.Success(StatusCodes.Status201Created));
    }

    /// <summary>POST pods/{name}/binding: the registry applies the Binding; the reply is 201 with a Status Success.</summary>
    private static async Task Bind(HttpContext http, ResourceDescriptor d, string? ns, string name)
    {
        ResourceVerb.Require(d, "update");
        var s = Services(http);
        var options = new RequestQuery(http.Request.Query).WriteOptions();
        var binding = await ReadObjectAsync(http, s, options.FieldValidation, options.Warnings, "Binding");
        BodyChecks.TypeMeta(binding, "Binding", d.ApiVersion);
        var result = await s.Registry.BindAsync(http.GetRequestContext(), d, ns, name, binding, options, http.RequestAborted);
        WarningHeaders.Add(http.Response, options.Warnings.Concat(result.Warnings));
        http.Response.StatusCode = StatusCodes.Status201Created;
        await StatusResponses.WriteJsonAsync(http, StatusResponses.Success(StatusCodes.Status201Created));
    }

    private static async Task Log(HttpContext http, ResourceDescriptor d, string? ns, string name)
    {
        ResourceVerb.Require(d, "get");
        if (d.Strategy is not ILogStrategy logs) throw ResourceVerb.NotAllowed("GET", d, "log");
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var rc = http.GetRequestContext();
        var ov = await s.Registry.GetAsync(rc, d, ns, name, new GetOptions(), http.RequestAborted);
        var ctx = new StrategyContext(rc, d, false, s.Clock.GetUtcNow()) { Services = http.RequestServices };
        var text = await logs.GetLogAsync(ctx, ov.ToJsonObject(), q.Get("container"), http.RequestAborted);
        http.Response.ContentType = "text/plain";
        await http.Response.WriteAsync(text, http.RequestAborted);
    }

    /// <summary>
    /// exec/attach/portforward: kubectl asks for a WebSocket (GET) and falls back to SPDY (POST); both get the strategy's
    /// Status instead of 101, which kubectl prints ("Error from server (BadRequest): ..."). The pod must exist first.
    /// </summary>
    private static async Task ContainerStream(HttpContext http, ResourceDescriptor d, string? ns, string name, string sub)
    {
        ResourceVerb.Require(d, http.Request.Method == "GET" ? "get" : "create");
        if (d.Strategy is not IContainerStreamStrategy streams) throw ResourceVerb.NotAllowed(http.Request.Method, d, sub);
        var s = Services(http);
        var q = new RequestQuery(http.Request.Query);
        var rc = http.GetRequestContext();
        var ov = await s.Registry.GetAsync(rc, d, ns, name, new GetOptions(), http.RequestAborted);
        var ctx = new StrategyContext(rc, d, false, s.Clock.GetUtcNow()) { Services = http.RequestServices };
        await streams.ConnectAsync(ctx, ov.ToJsonObject(), sub, q.Get("container"), http.RequestAborted);
        // A strategy that returns has nothing to stream either: no node agent took the connection.
        throw ApiError.BadRequest($"{d.Plural}/{sub} is not served by this server");
    }

    private static async Task WriteWriteResultAsync(HttpContext http, ApiServices s, ResponseFormat format, ResourceDescriptor d, WriteResult result,
        WriteOptions options, IncludeObject include, int code)
    {
        WarningHeaders.Add(http.Response, options.Warnings.Concat(result.Warnings));
        await ObjectResponses.WriteAsync(http, code, format, d, result.Object, include, s.Clock.GetUtcNow());
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext http, ApiServices s, FieldValidation mode, ICollection<string> warnings,
        string kind)
    {
        var decoder = s.Decoders.Resolve(http.Request.ContentType);
        var body = await RequestBodyReader.ReadAsync(http, s.Options.MaxRequestBodyBytes, http.RequestAborted);
        return RequestBodyDecoders.Decode(decoder, body, mode, warnings, kind);
    }

    /// <summary>The optional DeleteOptions body, as JSON, YAML or protobuf (helm uninstall sends protobuf).</summary>
    private static async Task<DeleteOptions> ReadDeleteOptionsAsync(HttpContext http, ApiServices s)
    {
        if (!MayHaveBody(http)) return new DeleteOptions();
        var body = await RequestBodyReader.ReadAsync(http, s.Options.MaxRequestBodyBytes, http.RequestAborted);
        if (body.IsEmpty) return new DeleteOptions();
        var obj = RequestBodyDecoders.Decode(s.Decoders.Resolve(http.Request.ContentType), body, FieldValidation.Ignore, new List<string>(),
            "DeleteOptions");
        // Only the kind is checked: clients have sent DeleteOptions under many group versions over the years.
        if (BodyChecks.StringField(obj, "kind") is { Length: > 0 } kind && kind != "DeleteOptions")
            throw ApiError.BadRequest($"the kind in the data ({kind}) does not match the expected kind (DeleteOptions)");
        return ParseDeleteOptions(obj);
    }

    /// <summary>
    /// Whether a body may follow. HTTP/2 (kubectl over TLS) can stream a body without Content-Length or chunked framing,
    /// so the server's own detection is asked first.
    /// </summary>
    private static bool MayHaveBody(HttpContext http)
    {
        if (http.Request.ContentLength is long n) return n > 0;
        if (http.Features.Get<IHttpRequestBodyDetectionFeature>() is { } detection) return detection.CanHaveBody;
        return http.Request.Headers.TransferEncoding.Count > 0;
    }

    private static DeleteOptions ParseDeleteOptions(JsonObject? obj)
    {
        try
        {
            return DeleteOptions.FromJson(obj);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw ApiError.BadRequest($"error decoding DeleteOptions: {e.Message}");
        }
    }

    private static ApiServices Services(HttpContext http) => http.RequestServices.GetRequiredService<ApiServices>();
}

/// <summary>What the handlers need from DI, resolved once per request.</summary>
public sealed class ApiServices(IResourceRegistry registry, RequestBodyDecoders decoders, IOptions<K8sApiOptions> options, TimeProvider clock)
{
    public IResourceRegistry Registry { get; } = registry;
    public RequestBodyDecoders Decoders { get; } = decoders;
    public K8sApiOptions Options { get; } = options.Value;
    public TimeProvider Clock { get; } = clock;
}
