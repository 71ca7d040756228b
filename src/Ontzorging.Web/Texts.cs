using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;

namespace Ontzorging.Web;

/// <summary>
/// The site's words in Dutch (the default) and English (the switch in the header, kept in a
/// cookie), and the way amounts and dates are written in each. A text without a Dutch entry is
/// shown as written.
/// </summary>
public sealed class Texts(IHttpContextAccessor accessor)
{
    public const string CookieName = "ozg.lang";

    private static readonly Dictionary<string, string> Dutch = new(StringComparer.Ordinal)
    {
        ["Skip to content"] = "Direct naar de inhoud",
        ["Households"] = "Huishoudens",
        ["Payment batches"] = "Betaalbatches",
        ["Audit log"] = "Auditlog",
        ["Sign out"] = "Afmelden",
        ["Sign in"] = "Inloggen",
        ["Signed in as"] = "Ingelogd als",
        ["Language"] = "Taal",
        ["Main menu"] = "Hoofdmenu",
        ["Sign in to Ontzorging"] = "Inloggen bij Ontzorging",
        ["You sign in with your municipality's account."] = "U logt in met het account van uw gemeente.",
        ["You have been signed out."] = "U bent afgemeld.",
        ["Worklist"] = "Werklijst",
        ["Search by reference or name"] = "Zoek op referentie of naam",
        ["Search"] = "Zoeken",
        ["Clear search"] = "Zoekopdracht wissen",
        ["Searching for"] = "Gezocht op",
        ["Reason"] = "Reden",
        ["Any reason"] = "Elke reden",
        ["State"] = "Status",
        ["Any state"] = "Elke status",
        ["Sort"] = "Sorteren",
        ["Filter"] = "Filteren",
        ["Attention first"] = "Aandacht eerst",
        ["Reference"] = "Referentie",
        ["Period end"] = "Einde periode",
        ["Credit outstanding"] = "Openstaand krediet",
        ["Name"] = "Naam",
        ["Names"] = "Namen",
        ["Why"] = "Waarom",
        ["Open arrears"] = "Open achterstanden",
        ["Readiness"] = "Zelfredzaamheid",
        ["Page"] = "Pagina",
        ["of"] = "van",
        ["Previous page"] = "Vorige pagina",
        ["Next page"] = "Volgende pagina",
        ["households"] = "huishoudens",
        ["need attention"] = "vragen aandacht",
        ["No household matches."] = "Geen huishouden gevonden.",
        ["Pages"] = "Paginering",
        ["active"] = "actief",
        ["upcoming"] = "nog niet begonnen",
        ["ended"] = "afgelopen",
        ["ready"] = "zelfredzaam",
        ["not_ready"] = "niet zelfredzaam",
        ["in_progress"] = "in ontwikkeling",
        ["Household"] = "Huishouden",
        ["Show another day"] = "Andere dag tonen",
        ["Day"] = "Dag",
        ["Show"] = "Tonen",
        ["As of"] = "Stand op",
        ["Members"] = "Leden",
        ["Date of birth"] = "Geboortedatum",
        ["Role"] = "Rol",
        ["adult"] = "volwassene",
        ["child"] = "kind",
        ["Show BSNs in full"] = "BSN's volledig tonen",
        ["Showing a BSN in full is recorded in the audit log."] = "Het volledig tonen van een BSN wordt vastgelegd in de auditlog.",
        ["Period"] = "Periode",
        ["Start"] = "Begin",
        ["End"] = "Einde",
        ["Extension"] = "Verlenging",
        ["months"] = "maanden",
        ["days left"] = "dagen over",
        ["Credit"] = "Krediet",
        ["Cap"] = "Plafond",
        ["Balance held"] = "Saldo in beheer",
        ["Money story, month by month"] = "Geldverhaal per maand",
        ["Month"] = "Maand",
        ["Bijstand"] = "Bijstand",
        ["Toeslagen received"] = "Toeslagen ontvangen",
        ["Installments paid"] = "Vaste lasten betaald",
        ["Leefgeld"] = "Leefgeld",
        ["Minimum leefgeld"] = "Minimaal leefgeld",
        ["Credit drawn"] = "Krediet opgenomen",
        ["Credit repaid"] = "Krediet afgelost",
        ["Arrears"] = "Achterstanden",
        ["Payments"] = "Betalingen",
        ["Creditor"] = "Schuldeiser",
        ["Amount"] = "Bedrag",
        ["Execution date"] = "Uitvoerdatum",
        ["Status"] = "Status",
        ["Kind"] = "Soort",
        ["Received"] = "Ontvangen",
        ["Received on"] = "Ontvangen op",
        ["Below the minimum"] = "Onder het minimum",
        ["Credit outstanding and leefgeld per month"] = "Openstaand krediet en leefgeld per maand",
        ["Decisions"] = "Besluiten",
        ["Date"] = "Datum",
        ["Detail"] = "Toelichting",
        ["Recorded by"] = "Vastgelegd door",
        ["Recorded at"] = "Vastgelegd op",
        ["No decisions yet."] = "Nog geen besluiten.",
        ["Record a decision"] = "Besluit vastleggen",
        ["Income"] = "Inkomsten",
        ["Expected"] = "Verwacht",
        ["From"] = "Vanaf",
        ["Toeslag status"] = "Status toeslag",
        ["Verdict"] = "Oordeel",
        ["Evaluated on"] = "Beoordeeld op",
        ["Unmet criteria"] = "Niet gehaalde criteria",
        ["Advice"] = "Advies",
        ["No readiness evaluation yet."] = "Nog geen beoordeling van zelfredzaamheid.",
        ["No batch has paid this household yet."] = "Er is nog geen batch voor dit huishouden betaald.",
        ["Decision"] = "Besluit",
        ["Counts from"] = "Geldt vanaf",
        ["Months (1–12)"] = "Maanden (1–12)",
        ["Last day of bijstand"] = "Laatste dag bijstand",
        ["ZRM score (1–5)"] = "ZRM-score (1–5)",
        ["Amount to write off (e.g. 150,00), or all"] = "Bedrag om kwijt te schelden (bijv. 150,00), of alles",
        ["Reason or course name"] = "Reden of naam van de cursus",
        ["Record"] = "Vastleggen",
        ["Cancel"] = "Annuleren",
        ["Nothing was recorded."] = "Er is niets vastgelegd.",
        ["The decision was recorded."] = "Het besluit is vastgelegd.",
        ["The same decision was already recorded; nothing changed."] = "Hetzelfde besluit was al vastgelegd; er is niets veranderd.",
        ["Back to the household"] = "Terug naar het huishouden",
        ["Back to the worklist"] = "Terug naar de werklijst",
        ["Batch"] = "Batch",
        ["Prepared by"] = "Voorbereid door",
        ["Approved by"] = "Goedgekeurd door",
        ["Approve"] = "Goedkeuren",
        ["Approve this batch (four eyes: not the person who prepared it)"] = "Deze batch goedkeuren (vier ogen: niet degene die hem voorbereidde)",
        ["The batch was approved."] = "De batch is goedgekeurd.",
        ["Exceptions"] = "Uitzonderingen",
        ["Total"] = "Totaal",
        ["When"] = "Wanneer",
        ["Who"] = "Wie",
        ["Action"] = "Handeling",
        ["Target"] = "Betreft",
        ["Outcome"] = "Uitkomst",
        ["Page not found"] = "Pagina niet gevonden",
        ["Not allowed"] = "Geen toegang",
        ["Your role does not give access to this page."] = "Uw rol geeft geen toegang tot deze pagina.",
        ["There is no such page, or you may not see it."] = "Deze pagina bestaat niet, of u mag hem niet zien.",
        ["Something went wrong"] = "Er ging iets mis",
        ["Your roles give you no pages here yet. Ask the administrator."] = "Uw rollen geven hier nog geen toegang. Vraag het de beheerder.",
        ["Welcome"] = "Welkom",
        ["Username"] = "Gebruikersnaam",
        ["Password"] = "Wachtwoord",
        ["Development identity provider"] = "Ontwikkel-identiteitsprovider",
        ["Unknown username or wrong password."] = "Onbekende gebruikersnaam of onjuist wachtwoord.",
        ["Only for development and tests: the municipality's own provider replaces it."] = "Alleen voor ontwikkeling en tests: de eigen provider van de gemeente vervangt deze.",
        ["Full BSNs"] = "Volledige BSN's",
        ["This view was recorded in the audit log."] = "Deze inzage is vastgelegd in de auditlog.",
        ["Bijstand end"] = "Einde bijstand",
        ["Opt-out"] = "Afmelding",
        ["ZRM score"] = "ZRM-score",
        ["Training completed"] = "Training afgerond",
        ["Write-off"] = "Kwijtschelding",
        ["exported"] = "geëxporteerd",
        ["settled"] = "uitgevoerd",
        ["returned"] = "teruggeboekt",
        ["batch_draft"] = "in concept-batch",
        ["batch_approved"] = "in goedgekeurde batch",
        ["draft"] = "concept",
        ["approved"] = "goedgekeurd",
        ["partially_settled"] = "deels uitgevoerd",
        ["rejected"] = "afgewezen",
        ["cancelled"] = "geannuleerd",
        ["Phase-out"] = "Afbouw",
        // Refusals of a decision (Domain.Households.DecisionRules and the form).
        ["choose a kind of decision"] = "kies een soort besluit",
        ["an extension is 1 to 12 whole months"] = "een verlenging is 1 tot en met 12 hele maanden",
        ["a bijstand end needs the last day of bijstand"] = "bij einde bijstand hoort de laatste dag van de bijstand",
        ["the last day must lie between 1900 and 2099"] = "de laatste dag moet tussen 1900 en 2099 liggen",
        ["the date must lie between 1900 and 2099"] = "de datum moet tussen 1900 en 2099 liggen",
        ["a ZRM score is 1 to 5"] = "een ZRM-score is 1 tot en met 5",
        ["an opt-out needs a reason"] = "bij een afmelding hoort een reden",
        ["a completed training needs the course name"] = "bij een afgeronde training hoort de naam van de cursus",
        ["a write-off needs a reason"] = "bij een kwijtschelding hoort een reden",
        ["a write-off amount must be positive (or 'all')"] = "het bedrag van een kwijtschelding moet positief zijn (of 'alles')",
        ["give an amount like 150,00, or 'all'"] = "geef een bedrag zoals 150,00, of 'alles'",
        ["is not a date like 2026-08-01"] = "is geen datum zoals 2026-08-01",
        ["is not a whole number"] = "is geen heel getal",
        ["is not an amount like 150,00"] = "is geen bedrag zoals 150,00",
    };

    private static readonly Dictionary<AttentionReason, (string Nl, string En)> ReasonTexts = new()
    {
        [AttentionReason.ToeslagOverdue] = ("Toeslag te laat", "Toeslag overdue"),
        [AttentionReason.ToeslagDecisionOverdue] = ("Beslissing toeslag te laat", "Toeslag decision overdue"),
        [AttentionReason.OpenArrears] = ("Open achterstand", "Open arrears"),
        [AttentionReason.CreditNearCap] = ("Krediet bijna aan plafond", "Credit near its cap"),
        [AttentionReason.LeefgeldBelowMinimum] = ("Leefgeld onder minimum in laatste batch", "Leefgeld below the minimum in the last batch"),
        [AttentionReason.PeriodEndingSoon] = ("Periode eindigt binnen 30 dagen", "Period ends within 30 days"),
        [AttentionReason.NotReady] = ("Niet zelfredzaam", "Not ready"),
    };

    public string Language => Normalise(accessor.HttpContext?.Request.Cookies[CookieName]);

    public bool English => Language == "en";

    public string this[string text] => English ? text : Dutch.GetValueOrDefault(text, text);

    /// <summary>
    /// A refusal in the page's language: a known message as a whole, or "'value' message" with the
    /// message part translated; anything else (such as an amount above what is outstanding) as written.
    /// </summary>
    public string Refusal(string message)
    {
        if (English || Dutch.ContainsKey(message))
        {
            return this[message];
        }

        var quoted = message.StartsWith('\'') ? message.IndexOf("' ", 1, StringComparison.Ordinal) : -1;
        if (quoted > 0)
        {
            var rest = message[(quoted + 2)..];
            var known = Dutch.Keys.FirstOrDefault(k => rest.StartsWith(k, StringComparison.Ordinal));
            if (known is not null)
            {
                return message[..(quoted + 2)] + Dutch[known] + rest[known.Length..];
            }
        }

        return message;
    }

    public string Reason(AttentionReason reason) => English ? ReasonTexts[reason].En : ReasonTexts[reason].Nl;

    public string Euro(Money amount)
    {
        var text = amount.ToString(); // "-1234.56"
        var negative = text.StartsWith('-');
        var parts = text.TrimStart('-').Split('.');
        var whole = parts[0];
        var grouped = string.Join(English ? "," : ".", Enumerable.Range(0, (whole.Length + 2) / 3)
            .Select(i => whole[Math.Max(0, whole.Length - (i + 1) * 3)..(whole.Length - i * 3)]).Reverse());
        return $"{(negative ? "-" : "")}€ {grouped}{(English ? "." : ",")}{parts[1]}";
    }

    public string Date(LocalDate date) => English ? date.ToString("yyyy-MM-dd", null) : date.ToString("d-M-yyyy", null);

    public string Date(LocalDate? date) => date is { } d ? Date(d) : "";

    public string Month(YearMonth month) => month.ToString("yyyy-MM", null);

    public static string Normalise(string? language) => language == "en" ? "en" : "nl";
}
