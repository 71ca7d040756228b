using Ontzorging.Domain;

namespace Ontzorging.Infrastructure;

/// <summary>
/// Checks each distinct IBAN of a bulk read once: a batch reads the same creditor accounts (a
/// housing corporation, an insurer) for thousands of households, and the mod-97 check of each copy
/// was a measurable part of preparing and exporting a batch.
/// </summary>
internal sealed class IbanMemo
{
    private readonly Dictionary<string, Iban> checkedIbans = new(StringComparer.Ordinal);

    public Iban Of(string text)
    {
        if (!checkedIbans.TryGetValue(text, out var iban))
        {
            iban = Iban.Of(text);
            checkedIbans[text] = iban;
        }

        return iban;
    }
}
