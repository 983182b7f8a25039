namespace Netralitas.Domain;

// The domain's own words. They mirror the netralitas.v1 enums by name, so that the contract can
// evolve without the rules depending on generated code.

/// <summary>Sanction levels, lightest first; the numeric order is the severity order.</summary>
public enum SanctionLevel
{
    Unspecified = 0,
    MoralClosed = 1,
    MoralOpen = 2,
    HdRingan = 3,
    HdSedang = 4,
    HdBerat = 5,
    Ptdh = 6,
}

public enum Track { Unspecified = 0, Ethics = 1, Discipline = 2 }

public enum Period { Unspecified = 0, BeforeCampaign = 1, DuringCampaign = 2, AfterCampaign = 3 }

public enum PositionKind { Unspecified = 0, Jpt = 1, Administrator = 2, Pengawas = 3, Fungsional = 4, Pelaksana = 5 }

public enum ReportSource { Unspecified = 0, Bawaslu = 1, Public = 2, Media = 3, Authority = 4 }

public enum CaseStatus { Unspecified = 0, UnderExamination = 1, Proven = 2, NotProven = 3, Sanctioned = 4 }

public enum RecommendationStatus { Unspecified = 0, AwaitingFollowUp = 1, NonCompliant = 2, Complied = 3 }

public enum Outcome { Unspecified = 0, Proven = 1, NotProven = 2 }

public enum ElectionKind { Unspecified = 0, Pemilu = 1, Pilkada = 2 }

public enum EscalationStage { Unspecified = 0, NotEscalated = 1, Warned = 2, Reprimanded = 3, Blocked = 4, Released = 5 }

public enum FollowUpEventKind
{
    Unspecified = 0,
    Issued = 1,
    DueSoon = 2,
    Overdue = 3,
    Warned = 4,
    Reprimanded = 5,
    Blocked = 6,
    FollowedUpCompliant = 7,
    FollowedUpLighter = 8,
    Released = 9,
    /// <summary>The due date was counted again on a calendar year that arrived or changed.</summary>
    DueDateRecomputed = 10,
}

public enum EnforcementKind { Unspecified = 0, Warning = 1, Reprimand = 2, Block = 3, Release = 4 }

public enum OutboxKind { Unspecified = 0, Block = 1, Release = 2, SanctionWriteBack = 3 }

public enum OutboxState { Unspecified = 0, Pending = 1, Delivered = 2, DeadLettered = 3 }
