namespace Ontzorging.Infrastructure.Csv;

/// <summary>One problem in an input file, precise enough to fix without guessing.</summary>
public sealed record InputError(string File, int Line, string Column, string Message)
{
    public override string ToString() => Line > 0
        ? $"{File} line {Line}, column {Column}: {Message}"
        : $"{File}: {Message}";
}

/// <summary>Thrown when input was refused; nothing has been written.</summary>
public sealed class InputRejectedException(IReadOnlyList<InputError> errors)
    : Exception($"{errors.Count} error(s) in the input; nothing was written. First: {errors[0]}")
{
    public IReadOnlyList<InputError> Errors { get; } = errors;
}
