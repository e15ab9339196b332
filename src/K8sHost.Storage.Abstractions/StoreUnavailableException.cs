namespace K8sHost.Storage;

/// <summary>
/// The store cannot be reached, or refused the call, and the call was NOT applied: retrying it is safe.
/// The API answers 503 with Retry-After. A failure after which a write may still have been applied must be a
/// <see cref="StoreOutcomeUnknownException"/> instead.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The call was sent but no answer came (timeout, connection lost mid-call): a write may or may not have been applied,
/// and may still be applied later. The API answers 504 Timeout without Retry-After, so that a client does not blindly
/// repeat a create with generateName. Deliberately not a <see cref="StoreUnavailableException"/>: code that only knows
/// "unavailable" must not turn it into a 503.
/// </summary>
public sealed class StoreOutcomeUnknownException(string message, Exception? inner = null) : Exception(message, inner);
