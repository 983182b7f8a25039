using Netralitas.Domain.Audit;
using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Netralitas.Gateway.Audit;

/// <summary>
/// What one call touched, gathered from the messages it received and sent: NIPs (fields
/// <c>nip</c>, <c>nips</c>, <c>nip_baru</c>, names <c>personnel/{nip}</c>), case ids (<c>case_id</c>,
/// names <c>cases/{id}</c> in <c>name</c> and <c>case</c>) and the caller's <c>request_id</c>.
/// Reading the fields by name keeps every method, present and future, audited the same way.
/// </summary>
public sealed class CallFacts
{
    private static readonly ConcurrentDictionary<MessageDescriptor, AuditedField[]> FieldsByType = new();

    /// <summary>A NIP asked and answered about is one NIP; past this many (a bulk stream) they are kept as given, repeats included.</summary>
    private const int DistinctUpTo = 4096;

    private readonly PackedNips _nips = new();
    private HashSet<string>? _seenNips = new(StringComparer.Ordinal);
    private readonly HashSet<string> _caseIds = new(StringComparer.Ordinal);
    private readonly List<string> _caseIdsInOrder = [];
    private readonly object _gate = new();

    public string? RequestId { get; private set; }

    public IReadOnlyList<string> Nips => _nips;

    public IReadOnlyList<string> CaseIds => _caseIdsInOrder;

    /// <summary>Reads a message the caller sent; safe to call from a stream's reader and writer at once.</summary>
    public void ObserveRequest(object? message) => Observe(message, isRequest: true);

    /// <summary>Reads a message sent to the caller (its request_id fields are not the call's).</summary>
    public void ObserveAnswer(object? message) => Observe(message, isRequest: false);

    private void Observe(object? message, bool isRequest)
    {
        if (message is IMessage protobuf)
        {
            lock (_gate)
            {
                Walk(protobuf, isRequest);
            }
        }
    }

    private void Walk(IMessage message, bool isRequest)
    {
        foreach (var field in FieldsOf(message.Descriptor))
        {
            var value = field.Descriptor.Accessor.GetValue(message);
            switch (field.Kind)
            {
                case FieldKind.Nip when value is string { Length: > 0 } nip:
                    AddNip(nip);
                    break;
                case FieldKind.Nips when value is IEnumerable<string> nips:
                    foreach (var nip in nips)
                    {
                        AddNip(nip);
                    }
                    break;
                case FieldKind.CaseId when value is string { Length: > 0 } id:
                    AddCase(id.StartsWith("cases/", StringComparison.Ordinal) ? CaseIdOf(id) : id);
                    break;
                case FieldKind.ResourceName when value is string { Length: > 0 } name:
                    AddResource(name);
                    break;
                case FieldKind.RequestId when isRequest && value is string { Length: > 0 } requestId:
                    RequestId ??= requestId;
                    break;
                case FieldKind.Message when value is IMessage nested:
                    Walk(nested, isRequest);
                    break;
                case FieldKind.Messages when value is System.Collections.IEnumerable items:
                    foreach (var item in items)
                    {
                        if (item is IMessage nestedItem)
                        {
                            Walk(nestedItem, isRequest);
                        }
                    }
                    break;
            }
        }
    }

    private void AddResource(string name)
    {
        if (name.StartsWith("cases/", StringComparison.Ordinal))
        {
            AddCase(CaseIdOf(name));
        }
        else if (name.StartsWith("personnel/", StringComparison.Ordinal))
        {
            AddNip(name["personnel/".Length..]);
        }
    }

    private void AddNip(string nip)
    {
        if (_seenNips is not null)
        {
            if (!_seenNips.Add(nip))
            {
                return;
            }
            if (_seenNips.Count > DistinctUpTo)
            {
                _seenNips = null;
            }
        }
        _nips.Add(nip);
    }

    private static string CaseIdOf(string name)
    {
        var rest = name.AsSpan("cases/".Length);
        var slash = rest.IndexOf('/');
        return (slash < 0 ? rest : rest[..slash]).ToString();
    }

    private void AddCase(string id)
    {
        if (id.Length > 0 && _caseIds.Add(id))
        {
            _caseIdsInOrder.Add(id);
        }
    }

    private static AuditedField[] FieldsOf(MessageDescriptor type) => FieldsByType.GetOrAdd(type, static t =>
        t.Fields.InFieldNumberOrder().Select(f => new AuditedField(f, KindOf(f))).Where(f => f.Kind != FieldKind.None).ToArray());

    private static FieldKind KindOf(FieldDescriptor field)
    {
        if (field.IsMap)
        {
            return FieldKind.None;
        }
        if (field.FieldType == FieldType.Message)
        {
            return field.IsRepeated ? FieldKind.Messages : FieldKind.Message;
        }
        if (field.FieldType != FieldType.String)
        {
            return FieldKind.None;
        }
        return (field.Name, field.IsRepeated) switch
        {
            ("nip" or "nip_baru", false) => FieldKind.Nip,
            ("nips", true) => FieldKind.Nips,
            ("case_id" or "case", false) => FieldKind.CaseId,
            ("name", false) => FieldKind.ResourceName,
            ("request_id", false) => FieldKind.RequestId,
            _ => FieldKind.None,
        };
    }

    private enum FieldKind { None, Nip, Nips, CaseId, ResourceName, RequestId, Message, Messages }

    private sealed record AuditedField(FieldDescriptor Descriptor, FieldKind Kind);
}
