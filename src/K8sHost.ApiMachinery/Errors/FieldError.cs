namespace K8sHost.ApiMachinery.Errors;

/// <summary>
/// A validation failure on one field, shaped like apimachinery's field.Error so messages read the same:
/// Required → "Required value", Invalid → "Invalid value: \"x\": why", and so on.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, string Detail = "", object? BadValue = null)
{
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, detail);
    public static FieldError Invalid(string field, object? value, string detail) => new(FieldErrorType.Invalid, field, detail, value);
    public static FieldError Duplicate(string field, object? value) => new(FieldErrorType.Duplicate, field, "", value);
    public static FieldError NotSupported(string field, object? value, IEnumerable<string> valid) =>
        new(FieldErrorType.NotSupported, field, "supported values: " + string.Join(", ", valid.Select(v => $"\"{v}\"")), value);
    public static FieldError NotFound(string field, object? value) => new(FieldErrorType.NotFound, field, "", value);
    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, detail);
    public static FieldError TooLong(string field, int max) => new(FieldErrorType.TooLong, field, $"must have at most {max} bytes");

    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.NotFound => "FieldValueNotFound",
        _ => "FieldValueInvalid",
    };

    public string Message
    {
        get
        {
            var head = Type switch
            {
                FieldErrorType.Required => "Required value",
                FieldErrorType.Invalid => $"Invalid value: {Render(BadValue)}",
                FieldErrorType.Duplicate => $"Duplicate value: {Render(BadValue)}",
                FieldErrorType.NotSupported => $"Unsupported value: {Render(BadValue)}",
                FieldErrorType.Forbidden => "Forbidden",
                FieldErrorType.TooLong => "Too long",
                FieldErrorType.NotFound => $"Not found: {Render(BadValue)}",
                _ => "Invalid value",
            };
            return Detail.Length == 0 ? head : $"{head}: {Detail}";
        }
    }

    public StatusCause ToCause() => new(Reason, Message, Field);

    private static string Render(object? v) => v switch
    {
        null => "null",
        string s => GoText.Quote(s), // Go's %q: quotes and backslashes inside the value are escaped
        bool b => b ? "true" : "false",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
    };
}

public enum FieldErrorType
{
    Required,
    Invalid,
    Duplicate,
    NotSupported,
    Forbidden,
    TooLong,
    NotFound,
}
