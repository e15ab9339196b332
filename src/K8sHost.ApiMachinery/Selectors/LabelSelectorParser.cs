using System.Globalization;
using K8sHost.ApiMachinery.Errors;
using K8sHost.ApiMachinery.Validation;

namespace K8sHost.ApiMachinery.Selectors;

/// <summary>
/// The labelSelector grammar of apimachinery's labels.Parse: requirements separated by commas, each one of
/// "key", "!key", "key=v", "key==v", "key!=v", "key in (a,b)", "key notin (a,b)", "key>n", "key&lt;n".
/// Errors are FormatExceptions carrying apimachinery's wording.
/// </summary>
internal sealed class LabelSelectorParser(string input)
{
    private enum Tok { Identifier, DoesNotExist, Equals, DoubleEquals, NotEquals, In, NotIn, Gt, Lt, OpenPar, ClosedPar, Comma, End }

    private readonly List<(Tok Type, string Literal)> _tokens = Lex(input);
    private int _pos;

    public List<LabelRequirement> Parse()
    {
        var reqs = new List<LabelRequirement>();
        while (true)
        {
            var (t, lit) = Peek(keywords: false);
            switch (t)
            {
                case Tok.Identifier:
                case Tok.DoesNotExist:
                    try
                    {
                        reqs.Add(ParseRequirement());
                    }
                    catch (FormatException ex)
                    {
                        throw new FormatException("unable to parse requirement: " + ex.Message);
                    }
                    var (t2, l2) = Consume(keywords: false);
                    switch (t2)
                    {
                        case Tok.End:
                            return reqs;
                        case Tok.Comma:
                            var (t3, l3) = Peek(keywords: false);
                            if (t3 is not (Tok.Identifier or Tok.DoesNotExist))
                                throw new FormatException($"found '{l3}', expected: identifier after ','");
                            break;
                        default:
                            throw new FormatException($"found '{l2}', expected: ',' or 'end of string'");
                    }
                    break;
                case Tok.End:
                    return reqs;
                default:
                    throw new FormatException($"found '{lit}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        // Keys are read in the values context, so a label may be called "in" or "notin".
        var op = LabelOperator.Exists;
        var (t, lit) = Consume(keywords: false);
        if (t == Tok.DoesNotExist)
        {
            op = LabelOperator.DoesNotExist;
            (t, lit) = Consume(keywords: false);
        }
        if (t != Tok.Identifier) throw new FormatException($"found '{lit}', expected: identifier");
        var key = lit;
        ValidateKey(key);
        var (next, _) = Peek(keywords: false);
        // "!key" never takes an operator; whatever follows is reported by the caller as a bad separator.
        if (next is Tok.End or Tok.Comma || op == LabelOperator.DoesNotExist) return NewRequirement(key, op, []);

        var (ot, ol) = Consume(keywords: true);
        op = ot switch
        {
            Tok.In => LabelOperator.In,
            Tok.NotIn => LabelOperator.NotIn,
            Tok.Equals or Tok.DoubleEquals => LabelOperator.Equals,
            Tok.NotEquals => LabelOperator.NotEquals,
            Tok.Gt => LabelOperator.GreaterThan,
            Tok.Lt => LabelOperator.LessThan,
            _ => throw new FormatException($"found '{ol}', expected: in, notin, =, ==, !=, gt, lt"),
        };
        var values = op is LabelOperator.In or LabelOperator.NotIn ? ParseValues() : ParseExactValue();
        return NewRequirement(key, op, values);
    }

    private List<string> ParseValues()
    {
        var (t, lit) = Consume(keywords: false);
        if (t != Tok.OpenPar) throw new FormatException($"found '{lit}' expected: '('");
        (t, lit) = Peek(keywords: false);
        switch (t)
        {
            case Tok.Identifier:
            case Tok.Comma:
                var set = ParseIdentifiersList();
                var (ct, cl) = Consume(keywords: false);
                if (ct != Tok.ClosedPar) throw new FormatException($"found '{cl}', expected: ')'");
                return set;
            case Tok.ClosedPar:
                Consume(keywords: false);
                return [""];
            default:
                throw new FormatException($"found '{lit}', expected: ',', ')' or identifier");
        }
    }

    private List<string> ParseIdentifiersList()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (t, lit) = Consume(keywords: false);
            switch (t)
            {
                case Tok.Identifier:
                    set.Add(lit);
                    var (t2, l2) = Peek(keywords: false);
                    if (t2 == Tok.Comma) continue;
                    if (t2 == Tok.ClosedPar) return [.. set];
                    throw new FormatException($"found '{l2}', expected: ',' or ')'");
                case Tok.Comma:
                    // "(,a)", "(a,)" and "(a,,b)" each carry an empty value, as apimachinery reads them.
                    if (set.Count == 0) set.Add("");
                    var (t3, _) = Peek(keywords: false);
                    if (t3 == Tok.ClosedPar)
                    {
                        set.Add("");
                        return [.. set];
                    }
                    if (t3 == Tok.Comma)
                    {
                        Consume(keywords: false);
                        set.Add("");
                    }
                    break;
                default:
                    throw new FormatException($"found '{lit}', expected: ',', or identifier");
            }
        }
    }

    private List<string> ParseExactValue()
    {
        var (t, _) = Peek(keywords: false);
        if (t is Tok.End or Tok.Comma) return [""];
        var (ct, cl) = Consume(keywords: false);
        if (ct == Tok.Identifier) return [cl];
        throw new FormatException($"found '{cl}', expected: identifier");
    }

    /// <summary>apimachinery's NewRequirement checks: key, value count per operator, each value.</summary>
    public static LabelRequirement NewRequirement(string key, LabelOperator op, IReadOnlyList<string> values)
    {
        var errs = new List<FieldError>();
        var keyErrs = NameRules.IsQualifiedName(key);
        if (keyErrs.Count > 0) errs.Add(FieldError.Invalid("key", key, string.Join("; ", keyErrs)));
        var rendered = "[" + string.Join(" ", values) + "]";
        switch (op)
        {
            case LabelOperator.In or LabelOperator.NotIn when values.Count == 0:
                errs.Add(FieldError.Invalid("values", rendered, "for 'in', 'notin' operators, values set can't be empty"));
                break;
            case LabelOperator.Equals or LabelOperator.NotEquals when values.Count != 1:
                errs.Add(FieldError.Invalid("values", rendered, "exact-match compatibility requires one single value"));
                break;
            case LabelOperator.Exists or LabelOperator.DoesNotExist when values.Count != 0:
                errs.Add(FieldError.Invalid("values", rendered, "values set must be empty for exists and does not exist"));
                break;
            case LabelOperator.GreaterThan or LabelOperator.LessThan:
                if (values.Count != 1)
                    errs.Add(FieldError.Invalid("values", rendered, "for 'Gt', 'Lt' operators, exactly one value is required"));
                for (var i = 0; i < values.Count; i++)
                    if (!long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                        errs.Add(FieldError.Invalid($"values[{i}]", values[i], "for 'Gt', 'Lt' operators, the value must be an integer"));
                break;
        }
        for (var i = 0; i < values.Count; i++)
        {
            var valErrs = NameRules.IsValidLabelValue(values[i]);
            if (valErrs.Count > 0) errs.Add(FieldError.Invalid($"values[{i}][{key}]", values[i], string.Join("; ", valErrs)));
        }
        if (errs.Count == 1) throw new FormatException($"{errs[0].Field}: {errs[0].Message}");
        if (errs.Count > 1) throw new FormatException("[" + string.Join(", ", errs.Select(e => $"{e.Field}: {e.Message}")) + "]");
        return new LabelRequirement(key, op, values);
    }

    private static void ValidateKey(string key)
    {
        var errs = NameRules.IsQualifiedName(key);
        if (errs.Count > 0) throw new FormatException($"key: {FieldError.Invalid("key", key, string.Join("; ", errs)).Message}");
    }

    private (Tok Type, string Literal) Peek(bool keywords) => Classify(_tokens[Math.Min(_pos, _tokens.Count - 1)], keywords);

    private (Tok Type, string Literal) Consume(bool keywords)
    {
        var t = Peek(keywords);
        if (_pos < _tokens.Count - 1) _pos++;
        return t;
    }

    // "in" and "notin" are keywords only where an operator may appear; elsewhere they are plain identifiers.
    private static (Tok, string) Classify((Tok Type, string Literal) token, bool keywords)
    {
        if (token.Type != Tok.Identifier || !keywords) return token;
        return token.Literal switch
        {
            "in" => (Tok.In, token.Literal),
            "notin" => (Tok.NotIn, token.Literal),
            _ => token,
        };
    }

    private static List<(Tok, string)> Lex(string s)
    {
        var tokens = new List<(Tok, string)>();
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (IsSpecial(c))
            {
                var start = i;
                while (i < s.Length && IsSpecial(s[i]) && IsKnownSymbol(s[start..(i + 1)])) i++;
                if (i == start) i++;
                var sym = s[start..i];
                tokens.Add((sym switch
                {
                    "=" => Tok.Equals,
                    "==" => Tok.DoubleEquals,
                    "!=" => Tok.NotEquals,
                    "!" => Tok.DoesNotExist,
                    "(" => Tok.OpenPar,
                    ")" => Tok.ClosedPar,
                    "," => Tok.Comma,
                    ">" => Tok.Gt,
                    "<" => Tok.Lt,
                    _ => Tok.Identifier,
                }, sym));
                continue;
            }
            var b = i;
            while (i < s.Length && !IsSpecial(s[i]) && !char.IsWhiteSpace(s[i])) i++;
            tokens.Add((Tok.Identifier, s[b..i]));
        }
        tokens.Add((Tok.End, ""));
        return tokens;
    }

    private static bool IsSpecial(char c) => c is '=' or '!' or '(' or ')' or ',' or '>' or '<';

    private static bool IsKnownSymbol(string s) => s is "=" or "==" or "!=" or "!" or "(" or ")" or "," or ">" or "<";
}
