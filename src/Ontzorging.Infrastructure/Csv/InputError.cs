using Ontzorging.Domain;

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
    private const string List = "list";

    public IReadOnlyList<InputError> Errors { get; } = errors;

    /// <summary>The refusal a use case returns for this input: the count, the first file, and every error (<see cref="ErrorsOf"/>).</summary>
    public Refusal Refusal => Refusal.Of(RefusalCode.InputRejected, null, ("errors", Errors.Count), ("source", Errors[0].File), (List, Errors));

    /// <summary>The errors of an <see cref="RefusalCode.InputRejected"/> refusal, in file and line order.</summary>
    public static IReadOnlyList<InputError> ErrorsOf(Refusal refusal) =>
        refusal.Parameters.TryGetValue(List, out var list) ? (IReadOnlyList<InputError>)list : [];
}
