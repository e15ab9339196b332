// Swagger UI for a server whose OpenAPI documents, like kube-apiserver's, are readable only with credentials.
//
// Without a token the page shows a sign-in document (built here, nothing fetched) whose Authorize button takes a
// bearer token. The token is kept in sessionStorage (this tab, until it closes) and added to every request the UI makes:
// the /openapi/v3 index, the group-version documents and "Try it out". Only then is the index fetched, so the list of
// group-versions comes from the live server and nothing but this page is served anonymously.
(function () {
    "use strict";
    var SCHEME = "BearerToken"; // the security scheme the served documents declare
    var STORAGE_KEY = "k8shost.swagger.token";
    var mode = "signin";
    var ui = null;

    function storedToken() { return sessionStorage.getItem(STORAGE_KEY); }

    // The scheme is an API key named "authorization" (as kube-apiserver declares it), so the UI sends what was typed;
    // a bare token gets the "Bearer " prefix the server expects.
    function headerValue(token) { return /^bearer\s/i.test(token) ? token : "Bearer " + token; }

    function requestInterceptor(request) {
        var token = storedToken();
        Object.keys(request.headers || {}).forEach(function (name) {
            if (name.toLowerCase() === "authorization") delete request.headers[name];
        });
        if (token) {
            request.headers = request.headers || {};
            request.headers.Authorization = headerValue(token);
        }
        return request;
    }

    function signInSpec(problem) {
        var text = [
            "The API documents and every request need a **bearer token**, as on kube-apiserver.",
            "",
            "1. Click **Authorize** and paste a token (with or without the `Bearer ` prefix), for example the admin token",
            "   this server wrote to `<data-dir>/admin.token`, or the token of your kubeconfig:",
            "   `kubectl config view --raw --minify -o jsonpath='{.users[0].user.token}'`",
            "2. The group-versions then appear in the list at the top, and **Try it out** calls this server with the token.",
            "",
            "The token stays in this browser tab only (session storage) until you log out or close the tab.",
        ];
        if (problem) text.unshift("**" + problem + "**", "");
        return {
            openapi: "3.0.0",
            info: { title: "Kubernetes API: sign in", version: "v1.35.0", description: text.join("\n") },
            paths: {},
            components: { securitySchemes: { BearerToken: { type: "apiKey", name: "authorization", "in": "header", description: "Bearer Token authentication" } } },
            security: [{ BearerToken: [] }],
        };
    }

    // Authorize stores the token and swaps the sign-in page for the real documents; Logout goes back to sign-in.
    function SessionTokenPlugin() {
        return {
            statePlugins: {
                auth: {
                    wrapActions: {
                        authorize: function (original) {
                            return function (payload) {
                                var entry = payload && payload[SCHEME];
                                var value = entry && typeof entry.value === "string" ? entry.value.trim() : "";
                                var result = original(payload);
                                if (value) {
                                    sessionStorage.setItem(STORAGE_KEY, value);
                                    if (mode === "signin") setTimeout(showDocuments, 0);
                                }
                                return result;
                            };
                        },
                        logout: function (original) {
                            return function (names) {
                                var result = original(names);
                                sessionStorage.removeItem(STORAGE_KEY);
                                if (mode === "documents") setTimeout(function () { showSignIn(null); }, 0);
                                return result;
                            };
                        },
                    },
                },
            },
        };
    }

    // A fresh container per instance: each SwaggerUIBundle call renders a new React tree.
    function freshContainer() {
        var old = document.getElementById("swagger-ui");
        var div = document.createElement("div");
        div.id = "swagger-ui";
        old.parentNode.replaceChild(div, old);
        return "#swagger-ui";
    }

    function baseConfig() {
        return {
            dom_id: freshContainer(),
            presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
            plugins: [SessionTokenPlugin],
            requestInterceptor: requestInterceptor,
            validatorUrl: null,
            docExpansion: "list",
            defaultModelsExpandDepth: 1,
        };
    }

    function showSignIn(problem) {
        mode = "signin";
        var config = baseConfig();
        config.spec = signInSpec(problem);
        config.layout = "BaseLayout";
        ui = SwaggerUIBundle(config);
        window.ui = ui;
    }

    function showDocuments() {
        var token = storedToken();
        if (!token) { showSignIn(null); return; }
        fetch("/openapi/v3", { headers: { Authorization: headerValue(token), Accept: "application/json" }, cache: "no-store" })
            .then(function (response) {
                if (response.status === 401 || response.status === 403) {
                    sessionStorage.removeItem(STORAGE_KEY);
                    showSignIn("The server refused that token (" + response.status + " " + response.statusText + "). Authorize with another one.");
                    return null;
                }
                if (!response.ok) throw new Error("GET /openapi/v3: " + response.status + " " + response.statusText);
                return response.json();
            })
            .then(function (index) {
                if (!index) return;
                var urls = Object.keys(index.paths || {}).sort(function (a, b) {
                    // The core group first, like the order kubectl and kube-apiserver list group-versions in.
                    return (a === "api/v1" ? -1 : b === "api/v1" ? 1 : a < b ? -1 : a > b ? 1 : 0);
                }).map(function (gv) { return { name: gv, url: index.paths[gv].serverRelativeURL }; });
                mode = "documents";
                var config = baseConfig();
                config.urls = urls;
                config["urls.primaryName"] = urls.length ? urls[0].name : undefined;
                config.layout = "StandaloneLayout";
                // Shows the token as authorized in the UI (the lock icons); the interceptor sends it either way.
                config.onComplete = function () { ui.preauthorizeApiKey(SCHEME, token); };
                ui = SwaggerUIBundle(config);
                window.ui = ui;
            })
            .catch(function (error) { showSignIn("Could not load the API index: " + error.message); });
    }

    window.addEventListener("load", function () {
        if (storedToken()) showDocuments(); else showSignIn(null);
    });
})();
