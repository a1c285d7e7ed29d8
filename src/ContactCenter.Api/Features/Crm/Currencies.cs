namespace ContactCenter.Api.Features.Crm;

/// <summary>
/// The ISO 4217 currency codes a deal, a plan or the installation may use: the list's current codes and codes withdrawn
/// that records and other systems still carry (HRK, SLL, ANG, CUC, ZWL; RUR and BYR, the rouble codes before 1998 and
/// 2016 that Russian-market systems such as hh.ru still send). Not the testing code XTS nor XXX ("no currency"): a
/// made-up "ZZZ" was stored before and summed apart from everything else.
/// </summary>
public static class Currencies
{
    private static readonly HashSet<string> Known = new(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP BYN BYR BZD CAD CDF CHE
        CHF CHW CLF CLP CNY COP COU CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ
        GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
        LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN
        PYG QAR RON RSD RUB RUR RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD
        TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT
        XSU XUA YER ZAR ZMW ZWG ZWL
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="code"/> is one of them, in any letter case (stored upper-cased).</summary>
    public static bool IsKnown(string code) => Known.Contains(code);
}
