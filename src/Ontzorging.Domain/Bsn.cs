namespace Ontzorging.Domain;

/// <summary>
/// A Dutch citizen service number (burgerservicenummer): nine digits passing the 11-test (weights
/// 9..2 and −1). Personal data: <see cref="ToString"/> masks it; only <see cref="Value"/> is whole.
/// </summary>
public sealed record Bsn
{
    private Bsn(string value) => Value = value;

    public string Value { get; }

    public string Masked => $"*****{Value[5..]}";

    public static ParseResult<Bsn> Parse(string? text)
    {
        var s = text?.Trim() ?? "";
        if (s.Length != 9 || !s.All(char.IsAsciiDigit))
        {
            return ParseResult<Bsn>.Fail("BSN must be exactly 9 digits");
        }

        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += (s[i] - '0') * (9 - i);
        }

        sum -= s[8] - '0';
        return sum % 11 == 0 && s != "000000000"
            ? ParseResult<Bsn>.Ok(new Bsn(s))
            : ParseResult<Bsn>.Fail("BSN fails the 11-test");
    }

    public override string ToString() => Masked;
}
