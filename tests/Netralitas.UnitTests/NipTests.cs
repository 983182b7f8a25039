using Netralitas.Domain;

namespace Netralitas.UnitTests;

public sealed class NipTests
{
    [Theory]
    [InlineData("198609262015051001", "1986-09-26")]
    [InlineData("200002292024012999", "2000-02-29")]
    public void Accepts_a_well_formed_nip_and_reads_its_birth_date(string text, string birthDate)
    {
        Assert.True(Nip.TryParse(text, out var nip, out var error), error);
        Assert.Equal(text, nip.ToString());
        Assert.Equal(DateOnly.Parse(birthDate), nip.BirthDate);
    }

    [Theory]
    [InlineData("123", "must be 18 digits")]
    [InlineData("1986092620150510011", "must be 18 digits")]
    [InlineData("19860926201505100A", "digits only")]
    [InlineData("198602302010011001", "birth date 1986-02-30")]
    [InlineData("190002292010011001", "birth date 1900-02-29")]
    [InlineData("198613012010011001", "birth date 1986-13-01")]
    [InlineData("198609262015131001", "appointment month 2015-13")]
    [InlineData("198609262015001001", "appointment month 2015-00")]
    [InlineData("198609261985051001", "before the birth date")]
    [InlineData("198609262015053001", "gender digit")]
    public void Rejects_a_malformed_nip_saying_why(string text, string expected)
    {
        Assert.False(Nip.TryParse(text, out _, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Parse_names_the_field_it_rejects()
    {
        var error = Assert.Throws<InvalidRequestException>(() => Nip.Parse("123", "nips[4]"));
        Assert.Equal("nips[4]", Assert.Single(error.Violations).Field);
    }
}
