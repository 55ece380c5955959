namespace Ambassadors.Web.Http;

public enum FailureKind
{
    /// <summary>The thing named does not exist (404).</summary>
    NotFound,
    /// <summary>The request clashes with what is stored (409).</summary>
    Conflict,
    /// <summary>The request is well-formed but breaks a rule (422).</summary>
    Invalid,
}

/// <summary>Why a grain refused a command; crosses silos, unlike an exception with a stack.</summary>
[GenerateSerializer, Immutable]
public sealed record Failure(
    [property: Id(0)] FailureKind Kind,
    [property: Id(1)] string Detail,
    [property: Id(2)] string? Field = null);

/// <summary>A grain command's outcome: a value, or the failure that stopped it.</summary>
[GenerateSerializer, Immutable]
public sealed record Result<T>(
    [property: Id(0)] T? Value,
    [property: Id(1)] Failure? Failure,
    [property: Id(2)] bool Created = false)
{
    public static Result<T> Ok(T value, bool created = false) => new(value, null, created);
    public static implicit operator Result<T>(Failure failure) => new(default, failure);
}

public static class Fail
{
    public static Failure NotFound(string detail) => new(FailureKind.NotFound, detail);
    public static Failure Conflict(string detail, string? field = null) => new(FailureKind.Conflict, detail, field);
    public static Failure Invalid(string field, string detail) => new(FailureKind.Invalid, detail, field);
}
