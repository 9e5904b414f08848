namespace EspacePro.Data;

/// <summary>A dossier: a business (SIREN) the space holds online services for.</summary>
public sealed class CompanyFile
{
    public Guid Id { get; set; }
    public Guid AccountId { get; set; }
    public string Siren { get; set; } = "";
    public string Name { get; set; } = "";
    public int SortOrder { get; set; }
    public List<ServiceGrant> Services { get; set; } = [];
}

/// <summary>One online service (habilitation) the space holds for a company.</summary>
public sealed class ServiceGrant
{
    public Guid Id { get; set; }
    public Guid CompanyFileId { get; set; }
    public ServiceCategory Category { get; set; }
    public string Name { get; set; } = "";
    /// <summary>The service has sub-services (shown with "[+]" in the sheet).</summary>
    public bool HasDetails { get; set; }
    public int SortOrder { get; set; }
}

public enum ServiceCategory
{
    Consult = 1,
    Declare = 2,
    Pay = 3,
    Procedures = 4,
}
