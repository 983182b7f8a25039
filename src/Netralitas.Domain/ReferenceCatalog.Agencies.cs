namespace Netralitas.Domain;

// TEMPORARY until the agencies catalog lands from branch demo-loop (replaced on merge).
public sealed record Agency(string Code, string Name, string ProvinceCode);

public sealed partial class ReferenceCatalog
{
    public Agency? FindAgency(string code) => null;
}
