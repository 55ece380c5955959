namespace Ambassadors.Data;

/// <summary>Why a command was refused. The web host maps each kind to one status code (<c>Problems.From</c>).</summary>
public enum FailureKind
{
    /// <summary>The thing named does not exist (404).</summary>
    NotFound,
    /// <summary>The request clashes with what is stored, such as a batch's status (409).</summary>
    Conflict,
    /// <summary>The request is well-formed but breaks a rule (422, with the fields at fault).</summary>
    Invalid,
    /// <summary>A payout batch was asked for but no balance qualifies (422, listing payees without payout details).</summary>
    NothingToPay,
}

/// <summary>
/// Why a command was refused, shaped like the problem it becomes. It crosses silos (grains return it), unlike an
/// exception with a stack, so it is serializable by Orleans.
/// </summary>
/// <param name="Detail">A sentence a person can act on (the problem's detail).</param>
/// <param name="Field">The one field at fault, when there is one.</param>
[GenerateSerializer, Immutable]
public sealed record Failure(
    [property: Id(0)] FailureKind Kind,
    [property: Id(1)] string Detail,
    [property: Id(2)] string? Field = null)
{
    /// <summary>Several fields at fault, each with its messages (<see cref="FailureKind.Invalid"/>); null for one <see cref="Field"/>.</summary>
    [Id(3)] public IReadOnlyDictionary<string, string[]>? Errors { get; init; }

    /// <summary>
    /// More members of the problem, by name (<see cref="FailureKind.NothingToPay"/>: <c>missingDetails</c>). Their values
    /// must be serializable by Orleans if the failure is returned by a grain.
    /// </summary>
    [Id(4)] public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    /// <summary>The fields at fault and their messages: <see cref="Errors"/>, or <see cref="Field"/> (else "request") with
    /// <see cref="Detail"/>; empty unless <see cref="FailureKind.Invalid"/>.</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors => Kind != FailureKind.Invalid
        ? new Dictionary<string, string[]>()
        : Errors ?? new Dictionary<string, string[]> { [Field ?? "request"] = [Detail] };
}

/// <summary>A command's outcome: a value, or the failure that stopped it.</summary>
/// <param name="Created">The command made something new (201 rather than 200).</param>
[GenerateSerializer, Immutable]
public sealed record Result<T>(
    [property: Id(0)] T? Value,
    [property: Id(1)] Failure? Failure,
    [property: Id(2)] bool Created = false)
{
    /// <summary>False when the command asked for what already was (approving an approved batch, say) and changed nothing.</summary>
    [Id(3)] public bool Changed { get; init; } = true;

    public bool Succeeded => Failure is null;

    public static Result<T> Ok(T value, bool created = false) => new(value, null, created);

    public static Result<T> Unchanged(T value) => new(value, null) { Changed = false };

    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}

public static class Fail
{
    public static Failure NotFound(string detail) => new(FailureKind.NotFound, detail);

    public static Failure Conflict(string detail, string? field = null) => new(FailureKind.Conflict, detail, field);

    public static Failure Invalid(string field, string detail) => new(FailureKind.Invalid, detail, field);

    /// <summary>Several fields at fault; <paramref name="detail"/> sums them up.</summary>
    public static Failure Invalid(IReadOnlyDictionary<string, string[]> errors, string detail) =>
        new(FailureKind.Invalid, detail) { Errors = errors };

    /// <summary>Nothing qualifies for payment; <paramref name="extensions"/> go into the problem as they are.</summary>
    public static Failure NothingToPay(string detail, IReadOnlyDictionary<string, object?> extensions) =>
        new(FailureKind.NothingToPay, detail) { Extensions = extensions };
}
