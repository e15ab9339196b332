using System.Text.Json.Nodes;

namespace K8sHost.Resources.Common;

/// <summary>
/// A kind's SetObjectDefaults: every value kube-apiserver fills in when it decodes an object of that kind (the
/// core/v1 SetDefaults_* functions and declared defaults), plus the empty structs Go always serializes (a Node's
/// `spec: {}`), so an object reads back as kube-apiserver returns it. Mutates in place; must be idempotent, because
/// it runs on every write of the object, including bodies that are the result of an earlier read.
/// </summary>
internal delegate void ObjectDefaults(JsonObject obj);
