namespace Ontzorging.Domain;

/// <summary>
/// The outcome of reading user input: a value, or the reason it was refused. Bad input is expected,
/// so it is a value rather than an exception (exceptions are for bugs).
/// </summary>
public readonly record struct ParseResult<T>
{
    private readonly T? value;

    private ParseResult(T? value, string? error)
    {
        this.value = value;
        Error = error;
    }

    public bool Success => Error is null;

    public string? Error { get; }

    public T Value => Success ? value! : throw new InvalidOperationException($"No value: {Error}");

    public static ParseResult<T> Ok(T value) => new(value, null);

    public static ParseResult<T> Fail(string error) => new(default, error);
}
