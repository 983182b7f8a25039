using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Netralitas.Domain;

/// <summary>
/// UUIDv7 ids that increase strictly within this process, even within one millisecond (RFC 9562,
/// method 1: the 12 bits after the timestamp count). Records made by one change — a release and the
/// sanction write-back after it — therefore sort in the order they were made, and an outbox relay
/// that sends in id order sends them in that order.
/// </summary>
public static class TimeOrderedIds
{
    private const int MaxCounter = 0xFFF;
    private static readonly Lock Gate = new();
    private static long _lastMilliseconds = -1;
    private static int _counter;

    public static string New(DateTime utcNow)
    {
        var milliseconds = new DateTimeOffset(DateTime.SpecifyKind(utcNow, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
        int counter;
        lock (Gate)
        {
            if (milliseconds <= _lastMilliseconds)
            {
                milliseconds = _lastMilliseconds;
                if (++_counter > MaxCounter)
                {
                    milliseconds++;
                    _counter = 0;
                }
            }
            else
            {
                _counter = 0;
            }
            _lastMilliseconds = milliseconds;
            counter = _counter;
        }
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes[8..]);
        Span<byte> timestamp = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(timestamp, milliseconds);
        timestamp[2..].CopyTo(bytes);
        bytes[6] = (byte)(0x70 | (counter >> 8));
        bytes[7] = (byte)counter;
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}
