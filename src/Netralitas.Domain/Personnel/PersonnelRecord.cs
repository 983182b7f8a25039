namespace Netralitas.Domain.Personnel;

public enum PersonnelSource
{
    Unspecified = 0,
    /// <summary>Fetched from SIASN (pns/data-utama).</summary>
    Siasn = 1,
    /// <summary>Loaded from a SIASN/SAPK export or the ImportPersonnel stream.</summary>
    Import = 2,
}

public enum PersonnelSyncState
{
    Unspecified = 0,
    /// <summary>Never fetched from SIASN (imported, or not yet looked up).</summary>
    NotFetched = 1,
    /// <summary>The last lookup in SIASN succeeded.</summary>
    Synced = 2,
    /// <summary>The last lookup found no record for the NIP in SIASN.</summary>
    NotInSiasn = 3,
    /// <summary>The last lookup failed (SIASN unavailable or refused); it is tried again later.</summary>
    Failed = 4,
}

/// <summary>What SIASN says about an ASN: the facts a case is read with. SIASN's own field in each comment.</summary>
public sealed record PersonnelFacts
{
    public string? SiasnId { get; init; }            // id (pnsOrangId in the history endpoints)
    public string? Name { get; init; }               // nama
    public DateOnly? BirthDate { get; init; }        // tglLahir
    public string? Gender { get; init; }             // jenisKelamin
    public string? EmployeeType { get; init; }       // jenisPegawaiNama
    public string? InstansiIndukId { get; init; }    // instansiIndukId
    public string? InstansiIndukName { get; init; }  // instansiIndukNama
    public string? InstansiKerjaId { get; init; }    // instansiKerjaId
    public string? InstansiKerjaName { get; init; }  // instansiKerjaNama
    public string? UnitId { get; init; }             // unorId
    public string? UnitName { get; init; }           // unorNama
    public string? PositionTitle { get; init; }      // jabatanNama
    public string? PositionKind { get; init; }       // jenisJabatan
    public string? Rank { get; init; }               // golRuangAkhir
    public string? EmploymentStatus { get; init; }   // kedudukanPnsNama

    public const int MaxTextLength = 200;
}

/// <summary>The gateway's copy of one ASN's personnel record, and how it stands with SIASN.</summary>
public sealed class PersonnelRecord
{
    public const string CollectionName = "personnel";

    public required string Nip { get; init; }

    // The facts, one column each (see PersonnelFacts); Name is null while SIASN has no record.
    public string? SiasnId { get; set; }
    public string? Name { get; set; }
    public DateOnly? BirthDate { get; set; }
    public string? Gender { get; set; }
    public string? EmployeeType { get; set; }
    public string? InstansiIndukId { get; set; }
    public string? InstansiIndukName { get; set; }
    public string? InstansiKerjaId { get; set; }
    public string? InstansiKerjaName { get; set; }
    public string? UnitId { get; set; }
    public string? UnitName { get; set; }
    public string? PositionTitle { get; set; }
    public string? PositionKind { get; set; }
    public string? Rank { get; set; }
    public string? EmploymentStatus { get; set; }

    /// <summary>Null while SIASN has no record (or it was never fetched nor imported).</summary>
    public PersonnelFacts? Facts
    {
        get => Name is null ? null : new PersonnelFacts
        {
            SiasnId = SiasnId,
            Name = Name,
            BirthDate = BirthDate,
            Gender = Gender,
            EmployeeType = EmployeeType,
            InstansiIndukId = InstansiIndukId,
            InstansiIndukName = InstansiIndukName,
            InstansiKerjaId = InstansiKerjaId,
            InstansiKerjaName = InstansiKerjaName,
            UnitId = UnitId,
            UnitName = UnitName,
            PositionTitle = PositionTitle,
            PositionKind = PositionKind,
            Rank = Rank,
            EmploymentStatus = EmploymentStatus,
        };
        set
        {
            SiasnId = value?.SiasnId;
            Name = value?.Name;
            BirthDate = value?.BirthDate;
            Gender = value?.Gender;
            EmployeeType = value?.EmployeeType;
            InstansiIndukId = value?.InstansiIndukId;
            InstansiIndukName = value?.InstansiIndukName;
            InstansiKerjaId = value?.InstansiKerjaId;
            InstansiKerjaName = value?.InstansiKerjaName;
            UnitId = value?.UnitId;
            UnitName = value?.UnitName;
            PositionTitle = value?.PositionTitle;
            PositionKind = value?.PositionKind;
            Rank = value?.Rank;
            EmploymentStatus = value?.EmploymentStatus;
        }
    }

    public PersonnelSource Source { get; set; }
    public PersonnelSyncState SyncState { get; set; } = PersonnelSyncState.NotFetched;

    /// <summary>When SIASN last answered for this NIP (found or not found).</summary>
    public DateTime? SyncedAt { get; set; }

    /// <summary>When the sync worker looks it up again; null: as soon as it is needed.</summary>
    public DateTime? NextSyncAt { get; set; }

    public string? SyncError { get; set; }

    /// <summary>Consecutive failed lookups, for the back-off.</summary>
    public int SyncFailures { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string ResourceName => ResourceNameOf(Nip);

    public static string ResourceNameOf(string nip) => $"{CollectionName}/{nip}";
}
