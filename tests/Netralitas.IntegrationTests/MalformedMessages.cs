using System.Text;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Netralitas.IntegrationTests;

/// <summary>
/// Protobuf bytes for a request type, most of them not a message of it: random bytes, a plausible
/// message truncated, with garbage appended or with bits flipped, fields with the wrong wire type,
/// length prefixes far larger than the data, invalid UTF-8 in a string, tags that no parser takes.
/// Deterministic for a given <see cref="Random"/>.
/// </summary>
internal static class MalformedMessages
{
    public const int Kinds = 8;

    public static byte[] Next(MessageDescriptor type, Random random, int kind)
    {
        var valid = Plausible(type, random, depth: 0);
        return kind switch
        {
            0 => Bytes(random, random.Next(1, 48)),
            1 => valid.Length > 1 ? valid[..random.Next(1, valid.Length)] : Bytes(random, 3),
            2 => [.. valid, .. Bytes(random, random.Next(1, 16))],
            3 => [.. valid, .. WrongWireType(type, random)],
            4 => [.. valid, .. HugeLength(type, random)],
            5 => [.. valid, .. InvalidUtf8(type, random)],
            6 => [.. valid, .. BadTag(random)],
            _ => FlipBits(valid, random),
        };
    }

    /// <summary>A message of the type with some fields set to values of their wire type (nested up to three deep).</summary>
    public static byte[] Plausible(MessageDescriptor type, Random random, int depth)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        foreach (var field in type.Fields.InFieldNumberOrder())
        {
            if (random.Next(3) == 0)
            {
                continue;
            }
            for (var i = field.IsRepeated ? random.Next(1, 4) : 1; i > 0; i--)
            {
                WriteValue(output, field, random, depth);
            }
        }
        output.Flush();
        return buffer.ToArray();
    }

    private static void WriteValue(CodedOutputStream output, FieldDescriptor field, Random random, int depth)
    {
        switch (field.FieldType)
        {
            case FieldType.Message or FieldType.Group:
                if (depth < 3)
                {
                    output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFrom(Plausible(field.MessageType, random, depth + 1)));
                }
                break;
            case FieldType.String:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteString(random.Next(4) switch
                {
                    0 => "198609262015051001",
                    1 => "cases/0193a1b2-0000-7000-8000-000000000001",
                    2 => "",
                    _ => "x" + random.Next(1000),
                });
                break;
            case FieldType.Bytes:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.LengthDelimited);
                output.WriteBytes(ByteString.CopyFrom(Bytes(random, random.Next(0, 16))));
                break;
            case FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed32);
                output.WriteFixed32((uint)random.Next());
                break;
            case FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double:
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Fixed64);
                output.WriteFixed64((ulong)random.NextInt64());
                break;
            default: // varints: integers, bools, enums
                output.WriteTag(field.FieldNumber, WireFormat.WireType.Varint);
                output.WriteUInt64(random.Next(3) == 0 ? (ulong)random.NextInt64() : (ulong)random.Next(0, 40));
                break;
        }
    }

    private static byte[] Bytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static int AnyFieldNumber(MessageDescriptor type, Random random) =>
        type.Fields.InFieldNumberOrder() is { Count: > 0 } fields ? fields[random.Next(fields.Count)].FieldNumber : random.Next(1, 20);

    private static byte[] WrongWireType(MessageDescriptor type, Random random)
    {
        var fields = type.Fields.InFieldNumberOrder();
        var field = fields.Count > 0 ? fields[random.Next(fields.Count)] : null;
        var own = field is null ? WireFormat.WireType.Varint : WireTypeOf(field);
        var wrong = new[] { WireFormat.WireType.Varint, WireFormat.WireType.Fixed64, WireFormat.WireType.LengthDelimited, WireFormat.WireType.Fixed32 }
            .Where(w => w != own).ToArray()[random.Next(3)];
        return [.. Tag(field?.FieldNumber ?? 1, wrong), .. Bytes(random, random.Next(0, 9))];
    }

    private static byte[] HugeLength(MessageDescriptor type, Random random)
    {
        ulong[] lengths = [int.MaxValue, uint.MaxValue, 1UL << 40, 4 * 1024 * 1024 + 1, 1000];
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(AnyFieldNumber(type, random), WireFormat.WireType.LengthDelimited);
        output.WriteUInt64(lengths[random.Next(lengths.Length)]);
        output.Flush();
        return [.. buffer.ToArray(), .. Bytes(random, random.Next(0, 8))];
    }

    private static byte[] InvalidUtf8(MessageDescriptor type, Random random)
    {
        var strings = type.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.String).ToArray();
        var number = strings.Length > 0 ? strings[random.Next(strings.Length)].FieldNumber : AnyFieldNumber(type, random);
        byte[] text = [.. Encoding.ASCII.GetBytes("1986"), 0xC3, 0x28, 0xFF, 0xED, 0xA0, 0x80];
        return [.. Tag(number, WireFormat.WireType.LengthDelimited), (byte)text.Length, .. text];
    }

    private static byte[] BadTag(Random random) => random.Next(5) switch
    {
        0 => [0x00, 0x01],                 // field number 0
        1 => [0x0C],                       // an end-group with no group open
        2 => [0x0B, 0x08, 0x01],           // a group that never ends
        3 => [0x0E, 0x01],                 // wire type 6 does not exist
        _ => [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], // a varint tag of eleven bytes
    };

    private static byte[] FlipBits(byte[] valid, Random random)
    {
        var bytes = valid.Length > 0 ? (byte[])valid.Clone() : Bytes(random, 4);
        for (var i = random.Next(1, 4); i > 0; i--)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }
        return bytes;
    }

    private static byte[] Tag(int fieldNumber, WireFormat.WireType wireType)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        output.WriteTag(fieldNumber, wireType);
        output.Flush();
        return buffer.ToArray();
    }

    private static WireFormat.WireType WireTypeOf(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Message or FieldType.Group or FieldType.String or FieldType.Bytes => WireFormat.WireType.LengthDelimited,
        FieldType.Fixed32 or FieldType.SFixed32 or FieldType.Float => WireFormat.WireType.Fixed32,
        FieldType.Fixed64 or FieldType.SFixed64 or FieldType.Double => WireFormat.WireType.Fixed64,
        _ => WireFormat.WireType.Varint,
    };
}
