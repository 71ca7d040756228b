namespace Ontzorging.Domain;

/// <summary>
/// A value, or the refusal that explains why there is none: what reading an input gives, and what a
/// use case gives (done with its result, or refused).
/// </summary>
public readonly record struct Result<T>
{
    private readonly T? value;

    private Result(T? value, Refusal? refusal)
    {
        this.value = value;
        Refusal = refusal;
    }

    public Refusal? Refusal { get; }

    public bool Success => Refusal is null;

    public T Value => Success ? value! : throw new InvalidOperationException($"No value: {Refusal}");

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Refusal refusal) => new(default, refusal);
}
