using Netralitas.Adapters.ReferenceData;
using Netralitas.Data;
using Netralitas.Domain;

namespace Netralitas.UnitTests;

public sealed class ShippedReferenceDataTests
{
    private static readonly ReferenceCatalog Catalog = ReferenceDataLoader.Load(new ReferenceDataOptions());

    [Fact]
    public void The_catalog_holds_the_fifteen_codes_of_the_SKB_matrix()
    {
        Assert.Equal("SKB-5KL-2022", Catalog.CatalogVersion);
        Assert.Equal(15, Catalog.Violations.Count);
        Assert.Equal(SanctionLevel.Ptdh, Catalog.FindViolation("ANGGOTA_PARPOL")!.DisciplineSanction);
        Assert.Equal(SanctionLevel.HdSedang, Catalog.FindViolation("PENDEKATAN_PARPOL")!.DisciplineSanction);
        Assert.Equal(SanctionLevel.Unspecified, Catalog.FindViolation("PASANGAN_TANPA_CLTN")!.DisciplineSanction);
        Assert.True(Catalog.FindViolation("LAINNYA")!.DecidedBySatgas);
    }

    [Fact]
    public void The_2024_calendars_are_shipped_with_the_dates_of_the_domain_notes()
    {
        var pilkada = Catalog.FindElection("pilkada-2024")!;
        Assert.Equal(new DateOnly(2024, 9, 22), pilkada.CandidateDeterminationDate);
        Assert.Equal(new DateOnly(2024, 9, 25), pilkada.CampaignStartDate);
        Assert.Equal(new DateOnly(2024, 11, 23), pilkada.CampaignEndDate);
        Assert.Equal(new DateOnly(2024, 11, 27), pilkada.VotingDate);
        var pemilu = Catalog.FindElection("pemilu-2024")!;
        Assert.Equal(new DateOnly(2023, 11, 28), pemilu.CampaignStartDate);
        Assert.Equal(new DateOnly(2024, 2, 10), pemilu.CampaignEndDate);
        Assert.Equal(new DateOnly(2024, 2, 14), pemilu.VotingDate);
    }

    [Fact]
    public void There_are_38_provinces()
    {
        Assert.Equal(38, Catalog.Provinces.Count);
        Assert.Equal("Jawa Tengah", Catalog.FindProvince("33")!.Name);
    }

    [Fact]
    public void Every_province_government_is_an_agency_and_every_agency_code_follows_the_scheme()
    {
        foreach (var province in Catalog.Provinces)
        {
            var government = Catalog.FindAgency(province.Code);
            Assert.NotNull(government);
            Assert.Equal($"Provinsi {province.Name}", government!.Name);
            Assert.Equal(province.Code, government.ProvinceCode);
        }
        Assert.All(Catalog.Agencies, agency =>
        {
            if (agency.Code.StartsWith("BA-", StringComparison.Ordinal))
            {
                Assert.Matches("^BA-[0-9]{3}$", agency.Code);
                Assert.Equal("", agency.ProvinceCode);
            }
            else
            {
                Assert.Matches("^[0-9]{2}([0-9]{2})?$", agency.Code);
                Assert.Equal(agency.Code[..2], agency.ProvinceCode);
                Assert.NotNull(Catalog.FindProvince(agency.ProvinceCode));
            }
        });
        Assert.Equal(Catalog.Agencies.Count, Catalog.Agencies.Select(a => a.Code).Distinct().Count());
    }

    [Theory]
    [InlineData("3303", "Kabupaten Purbalingga", "33")]
    [InlineData("3374", "Kota Semarang", "33")]
    [InlineData("7109", "Kabupaten Kepulauan Siau Tagulandang Biaro", "71")]
    [InlineData("5311", "Kabupaten Sumba Timur", "53")]
    [InlineData("7407", "Kabupaten Wakatobi", "74")]
    [InlineData("7602", "Kabupaten Mamuju", "76")]
    [InlineData("7604", "Kabupaten Polewali Mandar", "76")]
    [InlineData("8206", "Kabupaten Halmahera Timur", "82")]
    [InlineData("8204", "Kabupaten Halmahera Selatan", "82")]
    [InlineData("7409", "Kabupaten Konawe Utara", "74")]
    [InlineData("9208", "Kabupaten Kaimana", "92")]
    [InlineData("BA-025", "Kementerian Agama", "")]
    public void Agencies_carry_their_Kemendagri_or_budget_section_codes(string code, string name, string province)
    {
        var agency = Catalog.FindAgency(code);
        Assert.NotNull(agency);
        Assert.Equal(name, agency!.Name);
        Assert.Equal(province, agency.ProvinceCode);
    }

    [Theory]
    [InlineData("""[{ "code": "3399", "name": "Kabupaten X", "province": "34" }]""", "3399")]
    [InlineData("""[{ "code": "9999", "name": "Kabupaten X", "province": "99" }]""", "'99'")]
    [InlineData("""[{ "code": "DEMO-001", "name": "Kabupaten X", "province": "33" }]""", "DEMO-001")]
    [InlineData("""[{ "code": "BA-025", "name": "Kementerian Agama", "province": "" }]""", "BA-025")]
    [InlineData("""[{ "code": "BA-999", "name": "Badan X", "province": "33" }]""", "BA-999")]
    [InlineData("""[{ "code": "3399", "name": " ", "province": "33" }]""", "3399")]
    [InlineData("""[{ "code": "3399", "name": "Kabupaten X" }]""", "province")]
    [InlineData("""[null]""", "null")]
    public void A_malformed_operator_agency_stops_the_start_with_a_clear_message(string json, string named)
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "agencies.json"), json);
            var error = Assert.Throws<InvalidDataException>(() => ReferenceDataLoader.Load(new ReferenceDataOptions { ExtraDirectory = folder.FullName }));
            Assert.Contains(named, error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_operator_can_add_agencies_from_a_folder()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "agencies.json"), """
                [{ "code": "3304", "name": "Kabupaten Banjarnegara", "province": "33" },
                 { "code": "BA-088", "name": "Badan Kepegawaian Negara", "province": "" }]
                """);
            var catalog = ReferenceDataLoader.Load(new ReferenceDataOptions { ExtraDirectory = folder.FullName });
            Assert.Equal("Kabupaten Banjarnegara", catalog.FindAgency("3304")!.Name);
            Assert.True(catalog.FindAgency("BA-088")!.IsCentral);
            Assert.Equal(Catalog.Agencies.Count + 2, catalog.Agencies.Count);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("""{ "id": "p-1", "displayName": "P", "kind": "PILKADA", "candidateDeterminationDate": "2029-09-20", "campaignStartDate": "2029-09-24", "campaignEndDate": "2029-11-22", "votingDate": "2029-11-26" }""", "source")]
    [InlineData("""{ "id": "p-1", "displayName": "P", "kind": "5", "candidateDeterminationDate": "2029-09-20", "campaignStartDate": "2029-09-24", "campaignEndDate": "2029-11-22", "votingDate": "2029-11-26", "source": "s" }""", "'5'")]
    [InlineData("""{ "id": "Pilkada 2029", "displayName": "P", "kind": "PILKADA", "candidateDeterminationDate": "2029-09-20", "campaignStartDate": "2029-09-24", "campaignEndDate": "2029-11-22", "votingDate": "2029-11-26", "source": "s" }""", "Pilkada 2029")]
    [InlineData("""{ "id": "p-1", "displayName": "P", "kind": "PILKADA", "candidateDeterminationDate": "2029-09-20", "campaignStartDate": "2029-11-24", "campaignEndDate": "2029-11-22", "votingDate": "2029-11-26", "source": "s" }""", "p-1")]
    public void A_malformed_operator_election_stops_the_start_with_a_clear_message(string json, string named)
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "elections"));
            File.WriteAllText(Path.Combine(folder.FullName, "elections", "bad.json"), json);
            var error = Assert.Throws<InvalidDataException>(() => ReferenceDataLoader.Load(new ReferenceDataOptions { ExtraDirectory = folder.FullName }));
            Assert.Contains(named, error.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void An_operator_can_add_an_election_from_a_folder()
    {
        var folder = Directory.CreateTempSubdirectory();
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "elections"));
            File.WriteAllText(Path.Combine(folder.FullName, "elections", "pilkada-2029.json"), """
                { "id": "pilkada-2029", "displayName": "Pilkada 2029", "kind": "PILKADA",
                  "candidateDeterminationDate": "2029-09-20", "campaignStartDate": "2029-09-24",
                  "campaignEndDate": "2029-11-22", "votingDate": "2029-11-26", "source": "operator" }
                """);
            var catalog = ReferenceDataLoader.Load(new ReferenceDataOptions { ExtraDirectory = folder.FullName });
            Assert.Equal(ElectionKind.Pilkada, catalog.FindElection("pilkada-2029")!.Kind);
            Assert.NotNull(catalog.FindElection("pemilu-2024"));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
