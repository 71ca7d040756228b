namespace Ontzorging.Web.Identity;

/// <summary>One part of the site: its address, its folder of pages, its name (a resource key) and who may enter it.</summary>
public sealed record SiteSection(string Path, string Folder, string Title, string Policy, IReadOnlyList<string> Roles);

/// <summary>
/// The site's parts and the roles that enter each (docs/rules.md §14). The authorization
/// conventions and the menus are both made from this one list, so a menu never offers a page its
/// reader would be refused, and a new page is guarded by the folder it is put in.
/// </summary>
public static class SiteSections
{
    /// <summary>Policy names: one per set of roles.</summary>
    public static class Policies
    {
        public const string Caseworker = Identity.Roles.Caseworker;
        public const string FinanceOfficer = Identity.Roles.FinanceOfficer;

        /// <summary>Auditors; administrators hold an auditor's view of their municipalities too.</summary>
        public const string Auditor = Identity.Roles.Auditor;

        /// <summary>Bank statements: auditors answer for them, finance officers may import them.</summary>
        public const string Statements = "statements";
        public const string Administrator = Identity.Roles.Administrator;

        /// <summary>Complaints: caseworkers register and handle them; a complaints officer sees all of the municipality's.</summary>
        public const string Complaints = "complaints";

        public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> RolesOf = new Dictionary<string, IReadOnlyList<string>>
        {
            [Caseworker] = [Identity.Roles.Caseworker],
            [FinanceOfficer] = [Identity.Roles.FinanceOfficer],
            [Auditor] = [Identity.Roles.Auditor, Identity.Roles.Administrator],
            [Statements] = [Identity.Roles.Auditor, Identity.Roles.Administrator, Identity.Roles.FinanceOfficer],
            [Administrator] = [Identity.Roles.Administrator],
            [Complaints] = [Identity.Roles.Caseworker, Identity.Roles.ComplaintsOfficer],
        };
    }

    public static readonly IReadOnlyList<SiteSection> All =
    [
        Section("/huishoudens", "/Huishoudens", "Text.Households", Policies.Caseworker),
        Section("/klachten", "/Klachten", "Text.Complaints", Policies.Complaints),
        Section("/betalingen", "/Betalingen", "Text.PaymentBatches", Policies.FinanceOfficer),
        Section("/bankafschriften", "/Bankafschriften", "Text.BankStatements", Policies.Statements),
        Section("/suggesties", "/Suggesties", "Text.Suggestions", Policies.Auditor),
        Section("/aansluiting", "/Aansluiting", "Text.Reconciliation", Policies.Auditor),
        Section("/logboek", "/Logboek", "Text.AuditLog", Policies.Auditor),
        Section("/beheer", "/Beheer", "Text.Operations", Policies.Administrator),
    ];

    /// <summary>The parts this person may enter, in menu order.</summary>
    public static IEnumerable<SiteSection> For(Staff staff) => All.Where(s => s.Roles.Any(staff.Has));

    private static SiteSection Section(string path, string folder, string title, string policy) => new(path, folder, title, policy, Policies.RolesOf[policy]);
}
