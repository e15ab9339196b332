using K8sHost.ApiMachinery.Errors;

namespace K8sHost.ApiMachinery.Json;

/// <summary>
/// Finds the first syntax error in a JSON text and words it as Go's encoding/json does ("invalid character 'a' looking for
/// beginning of value", "unexpected end of JSON input"), because kube-apiserver passes those words to clients and scripts
/// match on them. Only run after System.Text.Json has already refused the text, so the hot path never pays for it.
/// </summary>
public static class GoJsonSyntax
{
    /// <summary>
    /// Go's message for the first syntax error, or null when Go would accept the text or it nests deeper than
    /// <see cref="JsonBody.MaxDepth"/> (the caller's depth limit is the error then; it also bounds this scanner's recursion).
    /// </summary>
    public static string? FindError(ReadOnlySpan<byte> json)
    {
        var scanner = new Scanner(json);
        return scanner.Run();
    }

    /// <summary>Go's quoteChar: how a byte is shown inside "invalid character ..." messages.</summary>
    public static string QuoteChar(byte c) => c switch
    {
        (byte)'\'' => @"'\''",
        (byte)'"' => "'\"'",
        _ => "'" + GoText.Quote(((char)c).ToString())[1..^1] + "'",
    };

    private ref struct Scanner(ReadOnlySpan<byte> text)
    {
        private readonly ReadOnlySpan<byte> _s = text;
        private int _i;
        private int _depth;

        public string? Run()
        {
            try
            {
                SkipSpace();
                Value("looking for beginning of value");
                SkipSpace();
                if (_i < _s.Length) return Invalid("after top-level value");
                return null;
            }
            catch (SyntaxError e)
            {
                return e.Message;
            }
            catch (TooDeep)
            {
                return null;
            }
        }

        private void Value(string context)
        {
            if (_i >= _s.Length) throw End();
            switch (_s[_i])
            {
                case (byte)'{': _i++; Nested(isObject: true); break;
                case (byte)'[': _i++; Nested(isObject: false); break;
                case (byte)'"': _i++; String(); break;
                case (byte)'-' or (>= (byte)'0' and <= (byte)'9'): Number(); break;
                case (byte)'t': Literal("true"); break;
                case (byte)'f': Literal("false"); break;
                case (byte)'n': Literal("null"); break;
                default: throw new SyntaxError(Invalid(context));
            }
        }

        private void Nested(bool isObject)
        {
            if (++_depth > JsonBody.MaxDepth + 1) throw new TooDeep();
            if (isObject) Object(); else Array();
            _depth--;
        }

        private void Object()
        {
            SkipSpace();
            if (Peek() == '}') { _i++; return; }
            while (true)
            {
                if (_i >= _s.Length) throw End();
                if (_s[_i] != '"') throw new SyntaxError(Invalid("looking for beginning of object key string"));
                _i++;
                String();
                SkipSpace();
                if (_i >= _s.Length) throw End();
                if (_s[_i] != ':') throw new SyntaxError(Invalid("after object key"));
                _i++;
                SkipSpace();
                Value("looking for beginning of value");
                SkipSpace();
                if (_i >= _s.Length) throw End();
                if (_s[_i] == '}') { _i++; return; }
                if (_s[_i] != ',') throw new SyntaxError(Invalid("after object key:value pair"));
                _i++;
                SkipSpace();
            }
        }

        private void Array()
        {
            SkipSpace();
            if (Peek() == ']') { _i++; return; }
            while (true)
            {
                Value("looking for beginning of value");
                SkipSpace();
                if (_i >= _s.Length) throw End();
                if (_s[_i] == ']') { _i++; return; }
                if (_s[_i] != ',') throw new SyntaxError(Invalid("after array element"));
                _i++;
                SkipSpace();
            }
        }

        private void String()
        {
            while (true)
            {
                if (_i >= _s.Length) throw End();
                var c = _s[_i];
                if (c == '"') { _i++; return; }
                if (c < 0x20) throw new SyntaxError(Invalid("in string literal"));
                _i++;
                if (c != '\\') continue;
                if (_i >= _s.Length) throw End();
                var e = _s[_i];
                if (e is (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' or (byte)'\\' or (byte)'/' or (byte)'"') { _i++; continue; }
                if (e != 'u') throw new SyntaxError(Invalid("in string escape code"));
                _i++;
                for (var k = 0; k < 4; k++)
                {
                    if (_i >= _s.Length) throw End();
                    if (!Uri.IsHexDigit((char)_s[_i])) throw new SyntaxError(Invalid("in \\u hexadecimal character escape"));
                    _i++;
                }
            }
        }

        private void Number()
        {
            if (_s[_i] == '-')
            {
                _i++;
                if (_i >= _s.Length) throw End();
                if (!IsDigit(_s[_i])) throw new SyntaxError(Invalid("in numeric literal"));
            }
            if (_s[_i] == '0') _i++;
            else while (_i < _s.Length && IsDigit(_s[_i])) _i++;
            if (_i < _s.Length && _s[_i] == '.')
            {
                _i++;
                if (_i >= _s.Length) throw End();
                if (!IsDigit(_s[_i])) throw new SyntaxError(Invalid("after decimal point in numeric literal"));
                while (_i < _s.Length && IsDigit(_s[_i])) _i++;
            }
            if (_i < _s.Length && _s[_i] is (byte)'e' or (byte)'E')
            {
                _i++;
                if (_i < _s.Length && _s[_i] is (byte)'+' or (byte)'-') _i++;
                if (_i >= _s.Length) throw End();
                if (!IsDigit(_s[_i])) throw new SyntaxError(Invalid("in exponent of numeric literal"));
                while (_i < _s.Length && IsDigit(_s[_i])) _i++;
            }
        }

        private void Literal(string word)
        {
            _i++;
            for (var k = 1; k < word.Length; k++)
            {
                if (_i >= _s.Length) throw End();
                if (_s[_i] != word[k]) throw new SyntaxError(Invalid($"in literal {word} (expecting '{word[k]}')"));
                _i++;
            }
        }

        private void SkipSpace()
        {
            while (_i < _s.Length && _s[_i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') _i++;
        }

        private readonly int Peek() => _i < _s.Length ? _s[_i] : -1;

        private readonly string Invalid(string context) => $"invalid character {QuoteChar(_s[_i])} {context}";

        private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';

        private static SyntaxError End() => new("unexpected end of JSON input");
    }

    private sealed class SyntaxError(string message) : Exception(message);

    private sealed class TooDeep : Exception;
}
