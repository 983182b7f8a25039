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
