using System.Security.Cryptography;

namespace Ambassadors.Web.Tracking;

/// <summary>
/// Cryptographically random bytes for the redirect's ids (click ids, visitor ids), drawn from a per-thread buffer that
/// <see cref="RandomNumberGenerator"/> refills 4 KB at a time: the same generator's output, each byte handed out once,
/// without a call into the operating system's generator per redirect (two per redirect were about a quarter of the
/// redirect handler's own time in a trace; docs/benchmarks.md, "Redirect").
/// </summary>
public static class RandomBytes
{
    private const int BufferSize = 4096;

    [ThreadStatic] private static byte[]? _buffer;
    [ThreadStatic] private static int _used;

    public static void Fill(Span<byte> destination)
    {
        if (destination.Length > BufferSize)
        {
            RandomNumberGenerator.Fill(destination);
            return;
        }
        var buffer = _buffer;
        if (buffer is null || _used + destination.Length > BufferSize)
        {
            buffer = _buffer ??= new byte[BufferSize];
            RandomNumberGenerator.Fill(buffer);
            _used = 0;
        }
        var slice = buffer.AsSpan(_used, destination.Length);
        slice.CopyTo(destination);
        slice.Clear(); // handed out once
        _used += destination.Length;
    }
}
