using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace K8sHost.Server.Options;

/// <summary>
/// Binds every option set the same way: its configuration section (appsettings.json, then environment, then flags)
/// onto a fresh instance, validated at once (data annotations and <see cref="IValidatableObject"/>), registered as
/// both T and IOptions&lt;T&gt;. A key in a bound section that no bound property reads is an error, so a misspelt
/// environment variable or appsettings key fails the start instead of being ignored.
/// </summary>
public sealed class OptionSets(IConfiguration configuration, IServiceCollection services)
{
    private readonly Dictionary<string, HashSet<string>> _known = new(StringComparer.OrdinalIgnoreCase);

    public T Bind<T>(string section) where T : class, new()
    {
        var value = new T();
        try
        {
            configuration.GetSection(section).Bind(value);
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key and the type ("Failed to convert configuration value 'x' at 'Server:SecurePort' …").
            throw new InvalidOptionsException(e.Message);
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            throw new InvalidOptionsException(Describe(section, results[0]));
        services.AddSingleton(value);
        services.AddSingleton<IOptions<T>>(Microsoft.Extensions.Options.Options.Create(value));
        var known = _known.TryGetValue(section, out var k) ? k : _known[section] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in typeof(T).GetProperties().Where(p => p.CanWrite)) known.Add(p.Name);
        return value;
    }

    /// <summary>Call after every set is bound: the union of their properties is what each section may hold.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (section, known) in _known)
            foreach (var child in configuration.GetSection(section).GetChildren())
                if (!known.Contains(child.Key))
                    throw new InvalidOptionsException($"unknown setting {section}:{child.Key} (environment variable {section}__{child.Key}); see --help");
    }

    private static string Describe(string section, ValidationResult result)
    {
        var member = result.MemberNames.FirstOrDefault();
        var key = $"{section}:{member}";
        var flag = ServerFlags.All.FirstOrDefault(f => string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));
        return flag is not null ? $"invalid {flag.Name}: {result.ErrorMessage}" : $"invalid setting {key}: {result.ErrorMessage}";
    }
}
