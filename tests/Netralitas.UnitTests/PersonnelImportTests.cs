using Netralitas.Gateway.Workers;
using Netralitas.Adapters.Exports;
using Netralitas.Domain.Escalation;
using Netralitas.Domain.Personnel;

namespace Netralitas.UnitTests;

public sealed class PersonnelImportTests
{
    private const string Nip = "198609262015051001";

    [Fact]
    public void The_export_reader_follows_the_header_and_RFC_4180_and_numbers_bad_records_by_line()
    {
        var csv = "\uFEFFnama;NIPBARU;extra\n" +
                  "\"Budi; S.Pd.\";198609262015051001;x\n" +
                  "\"Ani \"\"Nita\"\"\";199001012015052002;y\n" +
                  "\"Multi\nline\";199001012015052003;z\n" +
                  "too;few\n" +
                  "bad\"quo\"te;199001012015052004;z\n" +
                  "\n" +
                  "Last;199001012015052005;z\n";
        var reader = new SiasnExportReader(new StringReader(csv));
        reader.ReadHeader("nipBaru");
        Assert.Equal(';', reader.Separator);
        var records = reader.Records().ToList();

        Assert.Equal([2L, 3, 4, 6, 7, 9], records.Select(r => r.Line));
        Assert.Equal("Budi; S.Pd.", records[0].Fields![0]);
        Assert.Equal("198609262015051001", records[0].Fields![reader.IndexOf("nipBaru")]);
        Assert.Equal("Ani \"Nita\"", records[1].Fields![0]);
        Assert.Equal("Multi\nline", records[2].Fields![0]);
        Assert.Equal("has 2 fields, the header has 3", records[3].Error);
        Assert.Contains("quote inside an unquoted field", records[4].Error);
        Assert.Equal("Last", records[5].Fields![0]);
    }

    [Fact]
    public void Quoted_fields_with_doubled_quotes_anywhere_and_empty_fields_read_as_written()
    {
        var reader = new SiasnExportReader(new StringReader("a,b,c,d\n\"\"\"x\",\"y\"\"\"\"\",\"\",\"\"\"\"\"\"\"\"\"\"\n,\"\",q,\n"));
        reader.ReadHeader("a");
        var records = reader.Records().ToList();
        Assert.Equal(["\"x", "y\"\"", "", "\"\"\"\""], records[0].Fields!);
        Assert.Equal(["", "", "q", ""], records[1].Fields!);
    }

    [Fact]
    public void Repeated_and_distinct_values_of_a_long_export_read_back_exactly()
    {
        // The reader keeps one string per repeated value of a column and stops doing so for a column
        // of mostly distinct values: either way each field must read as written.
        var csv = new System.Text.StringBuilder("nipBaru,unorNama\n");
        for (var i = 0; i < 5_000; i++)
        {
            csv.Append(i.ToString("D18")).Append(',').Append(i % 7 == 0 ? $"\"Unit, {i % 3}\"" : $"Unit {i % 3}").Append('\n');
        }
        var reader = new SiasnExportReader(new StringReader(csv.ToString()));
        reader.ReadHeader("nipBaru");
        var records = reader.Records().ToList();
        Assert.Equal(5_000, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(i.ToString("D18"), records[i].Fields![0]);
            Assert.Equal(i % 7 == 0 ? $"Unit, {i % 3}" : $"Unit {i % 3}", records[i].Fields![1]);
        }
    }

    [Fact]
    public void An_export_without_the_required_column_or_with_an_unclosed_quote_says_so()
    {
        var noNip = new SiasnExportReader(new StringReader("nama,id\nBudi,1\n"));
        Assert.Contains("no column nipBaru", Assert.Throws<InvalidDataException>(() => noNip.ReadHeader("nipBaru")).Message);
        Assert.Throws<InvalidDataException>(() => new SiasnExportReader(new StringReader("")).ReadHeader("nipBaru"));

        var unclosed = new SiasnExportReader(new StringReader("nipBaru,nama\n198609262015051001,\"Budi\n"));
        unclosed.ReadHeader("nipBaru");
        var record = Assert.Single(unclosed.Records());
        Assert.Equal((2L, "a quoted field is never closed"), (record.Line, record.Error));
    }

    [Fact]
    public void A_row_is_valid_with_its_facts_trimmed_and_SIASN_words_kept()
    {
        var row = new PersonnelRow { NipBaru = $" {Nip} ", Nama = " Budi ", TglLahir = "26-09-1986", JenisKelamin = "L", GolRuangAkhir = "III/c", JabatanNama = "" };
        var valid = row.Validate(out _, out _);
        Assert.NotNull(valid);
        Assert.Equal(Nip, valid.Value.Nip);
        Assert.Equal(("Budi", new DateOnly(1986, 9, 26), "Pria", "III/c", (string?)null),
            (valid.Value.Facts.Name, valid.Value.Facts.BirthDate, valid.Value.Facts.Gender, valid.Value.Facts.Rank, valid.Value.Facts.PositionTitle));
        Assert.NotNull((row with { TglLahir = "1986-09-26", JenisKelamin = "Wanita" }).Validate(out _, out _));
    }

    [Theory]
    [InlineData("", "Budi", "", "", "nipBaru", "is required")]
    [InlineData("19860926201505100", "Budi", "", "", "nipBaru", "must be 18 digits")]
    [InlineData("198602302015051001", "Budi", "", "", "nipBaru", "not a real date")]
    [InlineData(Nip, " ", "", "", "nama", "is required")]
    [InlineData(Nip, "Budi", "31-02-1986", "", "tglLahir", "is not a date")]
    [InlineData(Nip, "Budi", "27-09-1986", "", "tglLahir", "disagrees with the birth date in the NIP (1986-09-26)")]
    [InlineData(Nip, "Budi", "", "X", "jenisKelamin", "neither Pria/L nor Wanita/P")]
    public void A_bad_row_names_its_field_and_reason(string nip, string nama, string birth, string gender, string field, string reason)
    {
        var row = new PersonnelRow { NipBaru = nip, Nama = nama, TglLahir = birth, JenisKelamin = gender };
        Assert.Null(row.Validate(out var badField, out var why));
        Assert.Equal(field, badField);
        Assert.Contains(reason, why);
    }

    [Fact]
    public void An_overlong_field_is_named()
    {
        var row = new PersonnelRow { NipBaru = Nip, Nama = "Budi", UnorNama = new string('u', PersonnelFacts.MaxTextLength + 1) };
        Assert.Null(row.Validate(out var field, out var reason));
        Assert.Equal("unorNama", field);
        Assert.Contains("longer than 200", reason);
    }

    [Fact]
    public void The_relay_backs_off_exponentially_with_jitter_up_to_the_cap()
    {
        var options = new OutboxRelayOptions { BaseBackoff = TimeSpan.FromSeconds(5), MaxBackoff = TimeSpan.FromMinutes(10) };
        Assert.Equal(TimeSpan.FromSeconds(5), options.BackoffAfter(1, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(20), options.BackoffAfter(3, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(16), options.BackoffAfter(3, 0));
        Assert.Equal(TimeSpan.FromSeconds(24), options.BackoffAfter(3, 1));
        Assert.Equal(TimeSpan.FromMinutes(10), options.BackoffAfter(40, 0.5));
    }
}
