using K8sHost.Registry.Contracts;

namespace K8sHost.Registry.Cache;

/// <summary>
/// One change as the cache saw it. <see cref="Object"/> is the new version (for a delete: the last version stamped
/// with the delete's revision, the form watchers receive). <see cref="Prev"/> is the version before the change
/// (null when the key was created), which makes selector transitions and "value as of revision R" cheap.
/// </summary>
public sealed record CachedEvent(bool IsDelete, long Revision, string Key, ObjectVersion Object, ObjectVersion? Prev, DateTime AppliedAtUtc);
