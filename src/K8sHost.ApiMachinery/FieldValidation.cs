namespace K8sHost.ApiMachinery;

/// <summary>The fieldValidation query parameter: what to do with unknown or duplicate fields in a body.</summary>
public enum FieldValidation
{
    /// <summary>Reject with 400 BadRequest naming the field.</summary>
    Strict,
    /// <summary>Accept, drop the field, and answer with a "Warning: 299" header (the default).</summary>
    Warn,
    /// <summary>Accept and drop silently.</summary>
    Ignore,
}
