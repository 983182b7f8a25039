using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Netralitas.Domain.Audit;
using Netralitas.Domain;
using Netralitas.Domain.Cases;

namespace Netralitas.UnitTests;

public sealed class AuditEncodingTests
{
    private static readonly DateTime Noon = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);

    private static AuditRecord Record(
        string callerId = "bkn-siasn", string method = "/netralitas.v1.CaseService/GetCase", string? peer = "ipv4:10.0.0.7:50311",
        IReadOnlyList<string>? nips = null, IReadOnlyList<string>? caseIds = null) =>
        new(Noon, callerId, "ClientCertificate", method, nips ?? ["198609262015051001"], caseIds ?? ["0193a1b2-0000-7000-8000-000000000001"],
            nameof(StatusCode.OK), "req-1", peer);

    private static AuditEntry Sealed(AuditRecord record) =>
        AuditChain.Seal(new ChainHead(0, AuditEncoding.GenesisHash.ToArray()), [AuditDraft.From(record)])[0].Entry;

    [Fact]
    public void The_entry_hash_is_the_documented_encoding()
    {
        var entry = Sealed(Record());

        // The encoding of Audit/AuditEncoding.cs, written out independently.
        var body = new List<byte>();
        void U32(uint v) { var b = new byte[4]; BinaryPrimitives.WriteUInt32BigEndian(b, v); body.AddRange(b); }
        void U64(ulong v) { var b = new byte[8]; BinaryPrimitives.WriteUInt64BigEndian(b, v); body.AddRange(b); }
        void Text(string s) { var b = Encoding.UTF8.GetBytes(s); U32((uint)b.Length); body.AddRange(b); }
        body.AddRange(new byte[32]);
        Text("netralitas.audit.v1");
        U64(1);
        U64((ulong)((Noon - DateTime.UnixEpoch).Ticks / 10));
        Text("bkn-siasn");
        Text("ClientCertificate");
        Text("/netralitas.v1.CaseService/GetCase");
        Text("OK");
        Text("req-1");
        body.Add(1);
        Text("ipv4:10.0.0.7:50311");
        U32(1);
        Text("0193a1b2-0000-7000-8000-000000000001");
        U64(1);
        var nipDigest = SHA256.HashData([0, 0, 0, 18, .. Encoding.ASCII.GetBytes("198609262015051001")]);
        U32(32);
        body.AddRange(nipDigest);
        body.Add(0);
        body.Add(0);
        Text("grpc");

        Assert.Equal(nipDigest, entry.NipDigest);
        Assert.Equal(SHA256.HashData(body.ToArray()), entry.Hash);
        Assert.Equal(entry.Hash, AuditEncoding.EntryHash(entry.PreviousHash, entry));
    }

    [Fact]
    public void The_protocol_is_hashed_and_an_entry_from_before_it_was_recorded_keeps_its_encoding()
    {
        var grpc = Sealed(Record());
        var rest = Sealed(Record() with { Protocol = AuditEntry.RestProtocol });
        var before = new AuditEntry
        {
            Sequence = grpc.Sequence, Time = grpc.Time, CallerId = grpc.CallerId, CallerProof = grpc.CallerProof, Method = grpc.Method,
            Status = grpc.Status, RequestId = grpc.RequestId, Peer = grpc.Peer, CaseIds = grpc.CaseIds, NipCount = grpc.NipCount,
            NipDigest = grpc.NipDigest, Bulk = grpc.Bulk, NipBlobDigest = grpc.NipBlobDigest, Protocol = null,
        };

        Assert.NotEqual(grpc.Hash, rest.Hash);
        var withProtocol = AuditEncoding.EncodeFields(grpc);
        Assert.Equal(withProtocol[..^8], AuditEncoding.EncodeFields(before)); // text("grpc") is 4 + 4 bytes at the end
    }

    [Fact]
    public void Moving_a_boundary_between_fields_changes_the_hash()
    {
        Assert.NotEqual(Sealed(Record(callerId: "ab", method: "c")).Hash, Sealed(Record(callerId: "a", method: "bc")).Hash);
        Assert.NotEqual(Sealed(Record(caseIds: ["ab", "c"])).Hash, Sealed(Record(caseIds: ["a", "bc"])).Hash);
        Assert.NotEqual(Sealed(Record(caseIds: ["a,b"])).Hash, Sealed(Record(caseIds: ["a", "b"])).Hash);
        Assert.NotEqual(Sealed(Record(peer: null)).Hash, Sealed(Record(peer: "")).Hash);
        Assert.NotEqual(AuditEncoding.NipDigest(["ab", "c"]), AuditEncoding.NipDigest(["a", "bc"]));
        Assert.NotEqual(AuditEncoding.NipDigest(["a", "b"]), AuditEncoding.NipDigest(["b", "a"]));
        Assert.Equal(AuditEncoding.NipDigest(["ab", "c"]), AuditEncoding.NipDigest(["ab", "c"]));
    }

    [Fact]
    public void Sealing_continues_the_chain_from_its_head()
    {
        var head = new ChainHead(41, SHA256.HashData("entry 41"u8));
        var drafts = new[] { AuditDraft.From(Record()), AuditDraft.From(Record(callerId: "other")) };
        var sealedEntries = AuditChain.Seal(head, drafts);

        Assert.Equal(new[] { 42L, 43L }, sealedEntries.Select(s => s.Entry.Sequence));
        Assert.Equal(head.Hash, sealedEntries[0].Entry.PreviousHash);
        Assert.Equal(sealedEntries[0].Entry.Hash, sealedEntries[1].Entry.PreviousHash);
        Assert.NotEqual(AuditChain.Seal(new ChainHead(41, new byte[32]), drafts)[0].Entry.Hash, sealedEntries[0].Entry.Hash);
    }

    [Fact]
    public void A_record_is_stored_in_utc_to_the_microsecond_and_bounded()
    {
        var local = new DateTime(2026, 11, 22, 19, 0, 0, DateTimeKind.Local).AddTicks(12_345_678);
        var draft = AuditDraft.From(Record(callerId: new string('x', 5000), peer: "a\0b\uD800c") with { Time = local });

        Assert.Equal(DateTimeKind.Utc, draft.Fields.Time.Kind);
        Assert.Equal(local.ToUniversalTime().AddTicks(-8), draft.Fields.Time);
        Assert.Equal(AuditEntry.MaxCallerIdLength, draft.Fields.CallerId.Length);
        Assert.EndsWith("…[5000 chars]", draft.Fields.CallerId);
        Assert.Equal("a\uFFFDb\uFFFDc", draft.Fields.Peer);
        Assert.Equal("😀", AuditDraft.Bounded("😀", 10));
    }

    [Fact]
    public void Up_to_a_thousand_nips_are_kept_as_rows_and_more_as_a_blob_covered_by_the_hash()
    {
        var nips = Enumerable.Range(0, 1001).Select(i => $"198609262015051{i % 1000:D3}").ToArray();
        var rows = AuditDraft.From(Record(nips: nips[..1000]));
        Assert.False(rows.Fields.Bulk);
        Assert.Equal(nips[..1000], rows.IndexedNips);
        Assert.Null(rows.NipBlob);

        var bulk = AuditDraft.From(Record(nips: nips));
        Assert.True(bulk.Fields.Bulk);
        Assert.Null(bulk.IndexedNips);
        Assert.Equal(1001, bulk.Fields.NipCount);
        Assert.Equal(AuditEncoding.NipDigest(nips), bulk.Fields.NipDigest);
        Assert.Equal(SHA256.HashData(bulk.NipBlob!), bulk.Fields.NipBlobDigest);
        Assert.Equal(1000, BulkNipSet.Unpack(bulk.NipBlob!).Count);

        var entry = AuditChain.Seal(new ChainHead(0, new byte[32]), [bulk])[0].Entry;
        var otherBlob = new AuditEntry
        {
            Sequence = entry.Sequence, Time = entry.Time, CallerId = entry.CallerId, CallerProof = entry.CallerProof,
            Method = entry.Method, Status = entry.Status, RequestId = entry.RequestId, Peer = entry.Peer, CaseIds = entry.CaseIds,
            NipCount = entry.NipCount, NipDigest = entry.NipDigest, Bulk = true, NipBlobDigest = new byte[32],
        };
        Assert.NotEqual(entry.Hash, AuditEncoding.EntryHash(entry.PreviousHash, otherBlob));
    }

    [Fact]
    public void Packed_nips_read_back_as_given_and_a_bulk_entry_made_from_them_has_the_digest_of_the_same_nips_as_text()
    {
        string[] odd =
        [
            "000000000000000001", "not-a-nip", "1234567890123456789", "12345678901234567x", "000000000000000001", "", "0",
            "12345678901234567\0", "19860926201505100\uD800", "19860926201505100\u00B2", new string('7', 65),
        ];
        // Enough NIPs that the blob is sorted by the radix sort, not Array.Sort.
        var nips = odd.Concat(Enumerable.Range(0, 5000).Select(i => (198000000000000000L + 7919L * i).ToString("D18")).Reverse()).ToArray();
        var stored = nips.Select(n => AuditDraft.Bounded(n, AuditEntry.MaxNipLength)).ToArray();
        var packed = PackedNips.From(nips);
        Assert.Equal(stored, packed);
        Assert.Equal(odd.Length - 2, packed.Others.Count); // the two well-formed NIPs among them are numbers

        var bulk = AuditDraft.From(Record(nips: packed));
        Assert.True(bulk.Fields.Bulk);
        Assert.Equal(AuditEncoding.NipDigest(stored), bulk.Fields.NipDigest);
        Assert.Equal(stored.Distinct().Order(StringComparer.Ordinal), BulkNipSet.Unpack(bulk.NipBlob!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_bulk_blob_holds_the_distinct_nips_sorted_as_big_endian_numbers_then_the_other_values()
    {
        var blob = BulkNipSet.Pack(["000000000000000002", "198609262015051001", "000000000000000002", "not-a-nip", "1986", "000000000000000001"]);

        byte[] expected =
        [
            1, 0, 0, 0, 3,
            0, 0, 0, 0, 0, 0, 0, 1,
            0, 0, 0, 0, 0, 0, 0, 2,
            .. BigEndian(198609262015051001),
            0, 0, 0, 2,
            0, 0, 0, 4, .. "1986"u8,
            0, 0, 0, 9, .. "not-a-nip"u8,
        ];
        Assert.Equal(expected, blob);
        Assert.Equal(new[] { "000000000000000001", "000000000000000002", "198609262015051001", "1986", "not-a-nip" }, BulkNipSet.Unpack(blob));
        Assert.True(BulkNipSet.Contains(blob, "198609262015051001"));
        Assert.True(BulkNipSet.Contains(blob, "000000000000000001"));
        Assert.True(BulkNipSet.Contains(blob, "not-a-nip"));
        Assert.False(BulkNipSet.Contains(blob, "198609262015051002"));
        Assert.False(BulkNipSet.Contains(blob, "1"));
    }

    [Fact]
    public void The_radix_sort_orders_nips_as_array_sort_does()
    {
        var random = new Random(7);
        var values = Enumerable.Range(0, 50_000).Select(_ => random.NextInt64(0, 1_000_000_000_000_000_000)).ToArray();
        values[0] = 0;
        values[1] = 999_999_999_999_999_999;
        values[2] = values[3];
        var expected = values.Order().ToArray();

        BulkNipSet.SortNonNegative(values);

        Assert.Equal(expected, values);
    }

    [Fact]
    public void A_large_blob_is_searched_and_a_damaged_one_answers_no_match()
    {
        var nips = Enumerable.Range(0, 100_000).Select(i => (198000000000000000L + i * 7919L).ToString("D18")).Reverse().ToArray();
        var blob = BulkNipSet.Pack(nips);
        Assert.Equal(1 + 4 + 8 * nips.Length + 4, blob.Length);
        Assert.All(nips.Where((_, i) => i % 997 == 0), nip => Assert.True(BulkNipSet.Contains(blob, nip)));
        Assert.False(BulkNipSet.Contains(blob, (198000000000000000L + 1).ToString("D18")));

        Assert.False(BulkNipSet.Contains(blob.AsSpan(0, 100), nips[0]));
        Assert.False(BulkNipSet.Contains([], nips[0]));
        Assert.Throws<FormatException>(() => BulkNipSet.Unpack(blob.AsSpan(0, 100)));
    }

    [Fact]
    public void A_sequence_page_token_continues_after_its_sequence_only_with_the_same_filters()
    {
        var token = PageToken.EncodeSequence(1234, "audit\nx");
        Assert.Equal(1234, PageToken.DecodeSequence(token, "audit\nx"));
        Assert.Equal(0, PageToken.DecodeSequence("", "audit\nx"));
        Assert.Equal("page_token", Assert.Single(Assert.Throws<InvalidRequestException>(() => PageToken.DecodeSequence(token, "audit\ny")).Violations).Field);
        Assert.Throws<InvalidRequestException>(() => PageToken.DecodeSequence("not a token", "audit\nx"));
        Assert.Throws<InvalidRequestException>(() => PageToken.DecodeSequence(PageToken.Encode(Guid.NewGuid().ToString(), "audit\nx"), "audit\nx"));
    }

    private static byte[] BigEndian(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, value);
        return bytes;
    }
}
