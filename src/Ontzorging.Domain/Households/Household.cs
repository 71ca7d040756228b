namespace Ontzorging.Domain.Households;

public enum LeefgeldFrequency
{
    Monthly,
    Weekly,
}

/// <summary>Who a household is, as far as the money rules care: its size and how it gets leefgeld.</summary>
public sealed record HouseholdProfile(string Reference, int Adults, int Children, Iban Iban, LeefgeldFrequency Frequency)
{
    public int Size => Adults + Children;
}
