namespace K8sHost.Storage;

/// <summary>The store cannot be reached or did not answer in time. The API answers 503 with Retry-After.</summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
