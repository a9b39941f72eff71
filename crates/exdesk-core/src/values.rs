//! Parsed values: each string from outside is checked once here and comes out in its
//! canonical form (ISO dates, upper-case country and currency codes, hyphenated ORCID).
//! Every parser names the field in its error.

use chrono::NaiveDate;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::error::Problem;
use crate::msg;
use crate::msg::Msg;

/// Longest name or title, in characters.
pub const NAME_MAX: usize = 200;
/// Longest note or description, in characters.
pub const NOTES_MAX: usize = 10_000;

pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn problem(field: &str, msg: Msg) -> Problem {
    Problem::new(field, msg)
}

pub fn is_hebrew_letter(c: char) -> bool {
    ('\u{05D0}'..='\u{05EA}').contains(&c) || ('\u{FB1D}'..='\u{FB4F}').contains(&c)
}

pub fn has_hebrew(s: &str) -> bool {
    s.chars().any(is_hebrew_letter)
}

pub fn has_latin(s: &str) -> bool {
    s.chars()
        .any(|c| c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c))
}

/// Characters that show nothing and only steer the direction of the text around them
/// (left-to-right and right-to-left marks, embeddings, isolates), and the zero-width space
/// and byte-order mark: copying Hebrew from a web page, an e-mail or a right-to-left
/// spreadsheet cell leaves them at the ends of a value. No stored value keeps them.
pub fn is_invisible_mark(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// A value without the white space and invisible marks around it.
pub fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || is_invisible_mark(c))
}

/// One line of free text in any script, trimmed, at most 200 characters; invisible
/// direction marks inside it are left out too (a name is shown in its own direction
/// wherever it appears, and a mark inside it would keep two spellings of one name
/// apart in search and in duplicate checks).
pub fn parse_name(field: &str, s: &str) -> Result<String, Problem> {
    let without_marks: String;
    let s = if s.chars().any(is_invisible_mark) {
        without_marks = s.chars().filter(|c| !is_invisible_mark(*c)).collect();
        trim(&without_marks)
    } else {
        trim(s)
    };
    if s.is_empty() {
        return Err(problem(field, msg!(VALUE_EMPTY)));
    }
    if let Some(c) = s.chars().find(|c| c.is_control()) {
        return Err(problem(
            field,
            msg!(VALUE_NOT_ONE_LINE, char = format!("{:04X}", c as u32)),
        ));
    }
    let n = s.chars().count();
    if n > NAME_MAX {
        return Err(problem(field, msg!(VALUE_TOO_LONG, n, max = NAME_MAX)));
    }
    Ok(s.to_owned())
}

/// A name in Latin script (given_name, family_name): no Hebrew letters.
pub fn parse_name_latin(field: &str, s: &str) -> Result<String, Problem> {
    let s = parse_name(field, s)?;
    if has_hebrew(&s) {
        return Err(problem(field, msg!(VALUE_HEBREW_IN_LATIN, field)));
    }
    Ok(s)
}

/// A name in Hebrew script (the `_he` fields): must hold Hebrew letters.
pub fn parse_name_he(field: &str, s: &str) -> Result<String, Problem> {
    let s = parse_name(field, s)?;
    if !has_hebrew(&s) {
        return Err(problem(field, msg!(VALUE_NOT_HEBREW)));
    }
    Ok(s)
}

/// Free text with newlines, at most 10,000 characters (domain.md: no other control
/// characters, a tab among them).
pub fn parse_notes(field: &str, s: &str) -> Result<String, Problem> {
    let s = trim(s);
    if let Some(c) = s
        .chars()
        .find(|&c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(problem(
            field,
            msg!(VALUE_CONTROL_CHAR, char = format!("{:04X}", c as u32)),
        ));
    }
    let n = s.chars().count();
    if n > NOTES_MAX {
        return Err(problem(field, msg!(VALUE_TOO_LONG, n, max = NOTES_MAX)));
    }
    Ok(s.replace("\r\n", "\n"))
}

/// An ISO date `YYYY-MM-DD`.
pub fn parse_date(field: &str, s: &str) -> Result<NaiveDate, Problem> {
    let t = trim(s);
    let ok_shape = t.len() == 10 && t.as_bytes()[4] == b'-' && t.as_bytes()[7] == b'-';
    // The usual `1990-09-26`, read without chrono's format parser (what it would find).
    let parsed = match iso_digits(t) {
        // In the form, but no day of the calendar (1997-02-30): said so, not that the
        // form is wrong.
        Some((y, m, d)) => NaiveDate::from_ymd_opt(y, m, d)
            .ok_or_else(|| problem(field, msg!(IMPORT_NOT_A_REAL_DATE, value = t)))?,
        _ => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .map_err(|_| problem(field, msg!(VALUE_NOT_ISO_DATE, value = t)))?,
    };
    match parsed {
        d if ok_shape && (1900..=2200).contains(&chrono::Datelike::year(&d)) => Ok(d),
        _ if ok_shape => Err(problem(field, msg!(VALUE_DATE_OUT_OF_RANGE, value = t))),
        _ => Err(problem(field, msg!(VALUE_NOT_ISO_DATE, value = t))),
    }
}

/// Year, month and day of `YYYY-MM-DD` written with ASCII digits only.
fn iso_digits(t: &str) -> Option<(i32, u32, u32)> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        b[range].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    Some((number(0..4)? as i32, number(5..7)?, number(8..10)?))
}

/// An ISO 3166-1 alpha-2 country code, upper case.
pub fn parse_country(field: &str, s: &str) -> Result<String, Problem> {
    let code = trim(s).to_ascii_uppercase();
    if code.len() == 2 && listed(COUNTRIES, &code) {
        Ok(code)
    } else {
        Err(problem(field, msg!(VALUE_NOT_COUNTRY, value = trim(s))))
    }
}

/// A quota's direction: `domestic`, or two country codes with an arrow, `US->IL`, as
/// people type it (`us -> il`, `US→IL`, `Domestic`); stored in the one canonical form.
pub fn parse_quota_direction(field: &str, s: &str) -> Result<String, Problem> {
    let s = trim(s);
    if s.eq_ignore_ascii_case("domestic") {
        return Ok("domestic".to_owned());
    }
    let arrow = s.replace('\u{2192}', "->");
    arrow
        .split_once("->")
        .and_then(|(a, b)| {
            let a = parse_country(field, a).ok()?;
            let b = parse_country(field, b).ok()?;
            Some(format!("{a}->{b}"))
        })
        .ok_or_else(|| problem(field, msg!(QUOTA_NOT_DIRECTION, value = s)))
}

/// The code of a country written by its name (English or Hebrew) or its three-letter
/// code, as partner files write the partnership's usual countries: `Israel`, `USA`,
/// `ארה״ב`, `U.K.`. Only imports read these; typed input takes the code
/// ([`parse_country`]).
pub fn country_by_name(s: &str) -> Option<&'static str> {
    let key: String = fold(s).chars().filter(|c| c.is_alphanumeric()).collect();
    COUNTRY_NAMES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(code, _)| *code)
}

/// Names of countries (folded: lower case, letters only) by code.
const COUNTRY_NAMES: &[(&str, &[&str])] = &[
    (
        "US",
        &[
            "us",
            "usa",
            "unitedstates",
            "unitedstatesofamerica",
            "america",
            "ארצותהברית",
            "ארהב",
        ],
    ),
    ("IL", &["isr", "israel", "ישראל"]),
    (
        "GB",
        &[
            "uk",
            "gbr",
            "unitedkingdom",
            "greatbritain",
            "britain",
            "בריטניה",
        ],
    ),
    ("DE", &["deu", "germany", "deutschland", "גרמניה"]),
    ("FR", &["fra", "france", "צרפת"]),
    ("JP", &["jpn", "japan", "יפן"]),
    (
        "KR",
        &[
            "kor",
            "southkorea",
            "korea",
            "republicofkorea",
            "דרוםקוריאה",
        ],
    ),
    ("IN", &["ind", "india", "הודו"]),
    ("CA", &["can", "canada", "קנדה"]),
    ("AU", &["aus", "australia", "אוסטרליה"]),
    ("IT", &["ita", "italy", "איטליה"]),
    ("NL", &["nld", "netherlands", "holland", "הולנד"]),
    ("CH", &["che", "switzerland", "שווייץ", "שוויץ"]),
    ("ES", &["esp", "spain", "ספרד"]),
    ("SE", &["swe", "sweden", "שוודיה"]),
    (
        "AE",
        &["are", "uae", "unitedarabemirates", "איחודהאמירויות"],
    ),
    ("CN", &["chn", "china", "סין"]),
    ("RU", &["rus", "russia", "רוסיה"]),
    ("UA", &["ukr", "ukraine", "אוקראינה"]),
];

/// An ISO 4217 currency code, upper case.
pub fn parse_currency(field: &str, s: &str) -> Result<String, Problem> {
    let code = trim(s).to_ascii_uppercase();
    if code.len() == 3 && listed(CURRENCIES, &code) {
        Ok(code)
    } else {
        Err(problem(field, msg!(VALUE_NOT_CURRENCY, value = trim(s))))
    }
}

/// An e-mail address: one `@`, a local part, a domain with a dot, no spaces.
pub fn parse_email(field: &str, s: &str) -> Result<String, Problem> {
    let s = trim(s);
    let bad = || problem(field, msg!(VALUE_NOT_EMAIL, value = s));
    let (local, domain) = s.split_once('@').ok_or_else(bad)?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "@<>()[]\\,;:\"".contains(c));
    if !domain_ok || !local_ok || s.len() > 254 {
        return Err(bad());
    }
    Ok(s.to_owned())
}

/// An ORCID iD `0000-0002-1825-0097` (also accepted with the `https://orcid.org/` prefix,
/// with spaces between its groups or without hyphens), with its ISO 7064 11,2 check digit
/// verified.
pub fn parse_orcid(field: &str, s: &str) -> Result<String, Problem> {
    let t = trim(s);
    let t = ["https://", "http://", ""]
        .iter()
        .flat_map(|scheme| ["orcid.org/", "www.orcid.org/"].map(|host| format!("{scheme}{host}")))
        .find_map(|prefix| t.strip_prefix(prefix.as_str()))
        .unwrap_or(t);
    // Groups separated by spaces, as it is sometimes printed: `0000 0002 1825 0097`.
    let spaced = t.replace(' ', "-");
    let t = spaced.as_str();
    let chars: Vec<char> = t
        .chars()
        .filter(|&c| c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let hyphens_ok =
        !t.contains('-') || (t.len() == 19 && [4, 9, 14].iter().all(|&i| t.as_bytes()[i] == b'-'));
    let shape_ok = chars.len() == 16
        && chars[..15].iter().all(|c| c.is_ascii_digit())
        && (chars[15].is_ascii_digit() || chars[15] == 'X')
        && hyphens_ok;
    if !shape_ok {
        return Err(problem(field, msg!(VALUE_NOT_ORCID, value = trim(s))));
    }
    let mut total: u32 = 0;
    for c in &chars[..15] {
        total = (total + c.to_digit(10).unwrap_or(0)) * 2;
    }
    let check = (12 - total % 11) % 11;
    let expected = if check == 10 {
        'X'
    } else {
        char::from_digit(check, 10).unwrap_or('0')
    };
    if chars[15] != expected {
        return Err(problem(
            field,
            msg!(VALUE_ORCID_CHECK_DIGIT, value = trim(s), expected),
        ));
    }
    let digits: String = chars.iter().collect();
    Ok(format!(
        "{}-{}-{}-{}",
        &digits[0..4],
        &digits[4..8],
        &digits[8..12],
        &digits[12..16]
    ))
}

const CROCKFORD: &str = "0123456789abcdefghjkmnpqrstvwxyz";

/// A Research Organization Registry id: `0` + 6 Crockford base32 characters + 2 check
/// digits (98 − (n × 100 mod 97)); also accepted as `https://ror.org/…`.
pub fn parse_ror(field: &str, s: &str) -> Result<String, Problem> {
    let t = trim(s).to_ascii_lowercase();
    let t = t
        .strip_prefix("https://ror.org/")
        .or_else(|| t.strip_prefix("http://ror.org/"))
        .or_else(|| t.strip_prefix("ror.org/"))
        .unwrap_or(&t)
        .to_owned();
    let bad =
        |code: &msg::Code| problem(field, Msg::new(code, vec![("value", trim(s).to_owned())]));
    if t.len() != 9 || !t.is_ascii() || !t.starts_with('0') {
        return Err(bad(&msg::VALUE_NOT_ROR_SHAPE));
    }
    let mut n: u64 = 0;
    for c in t[..7].chars() {
        let v = CROCKFORD
            .find(c)
            .ok_or_else(|| bad(&msg::VALUE_NOT_ROR_CHARACTER))?;
        n = n * 32 + v as u64;
    }
    let check: u64 = t[7..]
        .parse()
        .map_err(|_| bad(&msg::VALUE_NOT_ROR_DIGITS))?;
    if 98 - (n * 100 % 97) != check {
        return Err(bad(&msg::VALUE_ROR_CHECK_DIGITS));
    }
    Ok(t)
}

/// A phone number (domain.md): digits, spaces and `+ - ( )` (and dots, as partner files
/// write them), with at least one digit and at most 20.
pub fn parse_phone(field: &str, s: &str) -> Result<String, Problem> {
    let s = trim(s);
    let allowed = s
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits = s.chars().filter(char::is_ascii_digit).count();
    if !allowed || !(1..=20).contains(&digits) || s.len() > 40 {
        return Err(problem(field, msg!(VALUE_NOT_PHONE, value = s)));
    }
    Ok(s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A web address starting with http:// or https://.
pub fn parse_url(field: &str, s: &str) -> Result<String, Problem> {
    let s = trim(s);
    // `www.weizmann.ac.il` as partner files write it: a host name without its scheme.
    let host = s.split('/').next().unwrap_or("");
    let bare = host.contains('.')
        && !host.starts_with('.')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    let with_scheme;
    let s = if bare {
        with_scheme = format!("https://{s}");
        with_scheme.as_str()
    } else {
        s
    };
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    match rest {
        Some(r)
            if !r.is_empty()
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
                && s.len() <= 500 =>
        {
            Ok(s.to_owned())
        }
        _ => Err(problem(field, msg!(VALUE_NOT_URL, value = s))),
    }
}

/// Text folded for search: compatibility-decomposed, combining marks (Latin accents,
/// Hebrew points and cantillation) removed, lower case.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        // ASCII is its own decomposition and has no marks: only the case changes.
        return s.to_ascii_lowercase();
    }
    s.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// ISO 3166-1 alpha-2 codes (officially assigned), plus XK (Kosovo, in common use).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// Whether `code` is in `list`: codes of `code`'s length, sorted, one space apart (a
/// binary search, as every imported row checks its countries).
fn listed(list: &str, code: &str) -> bool {
    let width = code.len() + 1;
    let count = (list.len() + 1) / width;
    let at = |i: usize| &list[i * width..i * width + code.len()];
    let (mut low, mut high) = (0, count);
    while low < high {
        let mid = (low + high) / 2;
        match at(mid).cmp(code) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => low = mid + 1,
            std::cmp::Ordering::Greater => high = mid,
        }
    }
    false
}

/// ISO 4217 active currency codes.
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";

#[cfg(test)]
mod tests {
    #[test]
    fn the_code_lists_are_sorted_and_evenly_spaced_for_their_binary_search() {
        for (list, width) in [(super::COUNTRIES, 2), (super::CURRENCIES, 3)] {
            let codes: Vec<&str> = list.split(' ').collect();
            assert!(codes.iter().all(|c| c.len() == width));
            assert!(codes.windows(2).all(|w| w[0] < w[1]));
            for code in &codes {
                assert!(super::listed(list, code), "{code}");
            }
            for missing in ["AA", "ZZ", "AAA", "ZZZ", "ILT", "UT"] {
                assert!(!super::listed(list, missing), "{missing}");
            }
        }
    }

    use super::*;

    /// Found by fuzzing (target record_json): a multi-byte character where a hyphen or
    /// check digit belongs made the parsers slice inside a character and panic.
    #[test]
    fn orcid_and_ror_with_multibyte_characters_are_errors_not_panics() {
        for s in [
            "000\u{06ED}0002-1825-0097",
            "0000\u{2011}002-1825-0097x",
            "\u{05D0}\u{05D0}\u{05D0}\u{05D0}-\u{05D0}\u{05D0}\u{05D0}-1825-0097",
        ] {
            assert!(parse_orcid("orcid", s).is_err(), "{s}");
        }
        for s in [
            "0a\u{e9}\u{e9}\u{e9}0",
            "0\u{e9}\u{e9}\u{e9}\u{e9}",
            "03qryx8\u{e9}",
        ] {
            assert!(parse_ror("ror", s).is_err(), "{s}");
        }
    }

    #[test]
    fn orcid_check_digit() {
        assert_eq!(
            parse_orcid("orcid", "0000-0002-1825-0097").unwrap(),
            "0000-0002-1825-0097"
        );
        assert_eq!(
            parse_orcid("orcid", "https://orcid.org/0000-0001-5109-3700").unwrap(),
            "0000-0001-5109-3700"
        );
        assert_eq!(
            parse_orcid("orcid", "0000-0002-1694-233x").unwrap(),
            "0000-0002-1694-233X"
        );
        assert_eq!(
            parse_orcid("orcid", "0000000218250097").unwrap(),
            "0000-0002-1825-0097"
        );
        let e = parse_orcid("orcid", "0000-0002-1825-0098").unwrap_err();
        assert_eq!(e.field, "orcid");
        assert!(e.message.contains("check digit"), "{}", e.message);
        assert!(parse_orcid("orcid", "0000-0002-1825").is_err());
        assert!(parse_orcid("orcid", "000-00002-1825-0097").is_err());
        // As partner files print it: groups separated by spaces, the www. address.
        for written in [
            "0000 0002 1825 0097",
            "https://www.orcid.org/0000-0002-1825-0097",
            "orcid.org/0000 0002 1825 0097",
        ] {
            assert_eq!(
                parse_orcid("orcid", written).unwrap(),
                "0000-0002-1825-0097",
                "{written}"
            );
        }
        assert!(parse_orcid("orcid", "0000  0002 1825 0097").is_err());
    }

    #[test]
    fn ror_check_digits() {
        for id in ["042nb2s44", "03qryx823", "0316ej306", "05x2bcf33"] {
            assert_eq!(parse_ror("ror", id).unwrap(), id);
        }
        assert_eq!(
            parse_ror("ror", "https://ror.org/042NB2S44").unwrap(),
            "042nb2s44"
        );
        assert!(
            parse_ror("ror", "042nb2s45")
                .unwrap_err()
                .message
                .contains("check")
        );
        assert!(parse_ror("ror", "142nb2s44").is_err());
        assert!(parse_ror("ror", "042nb2s4").is_err());
        assert!(parse_ror("ror", "042ib2s44").is_err());
    }

    #[test]
    fn countries_and_currencies() {
        assert_eq!(parse_country("country", "il").unwrap(), "IL");
        assert_eq!(parse_country("country", "JP").unwrap(), "JP");
        assert!(parse_country("country", "ZZ").is_err());
        assert!(parse_country("country", "USA").is_err());
        // The partnership's usual countries by name or three-letter code, as partner
        // files write them (read by imports only).
        for (written, code) in [
            ("USA", "US"),
            ("U.S.", "US"),
            ("United States", "US"),
            ("ארה\"ב", "US"),
            ("Israel", "IL"),
            ("ישראל", "IL"),
            ("U.K.", "GB"),
            ("Japan", "JP"),
        ] {
            assert_eq!(country_by_name(written), Some(code), "{written}");
        }
        assert_eq!(country_by_name("Atlantis"), None);
        assert_eq!(country_by_name("XYZ"), None);
        assert_eq!(parse_currency("currency", "ils").unwrap(), "ILS");
        assert!(parse_currency("currency", "XYZ").is_err());
    }

    #[test]
    fn emails() {
        assert_eq!(
            parse_email("email", " Dana.Cohen@Example.ORG ").unwrap(),
            "Dana.Cohen@Example.ORG"
        );
        for bad in [
            "dana",
            "dana@",
            "@example.org",
            "dana@example",
            "da na@example.org",
            "a@b..c",
        ] {
            assert!(parse_email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("d", "2027-02-28").unwrap().to_string(),
            "2027-02-28"
        );
        // In the form but not on the calendar: said so.
        assert_eq!(
            parse_date("d", "2027-02-30").unwrap_err().code,
            "value.not_a_date"
        );
        assert_eq!(
            parse_date("d", "14/03/2027").unwrap_err().code,
            "value.not_iso_date"
        );
        assert!(parse_date("d", "28/02/2027").is_err());
        assert!(parse_date("d", "2027-2-3").is_err());
        assert!(
            parse_date("d", "0001-01-01")
                .unwrap_err()
                .message
                .contains("range")
        );
        // Digits read one by one find what chrono's format parser finds.
        for s in [
            "1990-09-26",
            "2200-12-31",
            "2201-01-01",
            "1899-12-31",
            "2027-00-10",
            "2027-13-01",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
        ] {
            let by_chrono = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
            let by_digits = iso_digits(s).and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
            assert_eq!(by_digits, by_chrono, "{s}");
        }
    }

    #[test]
    fn names_and_scripts() {
        assert_eq!(
            parse_name("name", "  O'Brien-Levi ").unwrap(),
            "O'Brien-Levi"
        );
        assert_eq!(parse_name("name", "=SUM(A1)").unwrap(), "=SUM(A1)");
        assert!(parse_name("name", &"x".repeat(201)).is_err());
        assert!(parse_name("name", "a\u{7}b").is_err());
        assert!(
            parse_name_latin("given_name", "דנה")
                .unwrap_err()
                .message
                .contains("given_name_he")
        );
        assert!(parse_name_he("given_name_he", "Dana").is_err());
        assert_eq!(parse_name_he("given_name_he", "דָּנָה").unwrap(), "דָּנָה");
        assert!(parse_notes("notes", "line one\nline two").is_ok());
        assert!(parse_notes("notes", &"x".repeat(10_001)).is_err());
        assert!(
            parse_notes("notes", "one\ttwo").is_err(),
            "a tab is a control character"
        );
        assert!(parse_notes("notes", "line one\r\nline two").is_ok());
    }

    #[test]
    fn phones_and_urls() {
        assert_eq!(
            parse_phone("phone", "+972 (4) 829-1111").unwrap(),
            "+972 (4) 829-1111"
        );
        assert!(parse_phone("phone", "call me").is_err());
        // domain.md's rule: the characters, and a digit at least (an extension, "222").
        assert_eq!(parse_phone("phone", "222").unwrap(), "222");
        assert!(parse_phone("phone", "+ - ( )").is_err());
        assert!(parse_phone("phone", &"1".repeat(21)).is_err());
        assert!(parse_url("website", "https://www.technion.ac.il").is_ok());
        assert!(parse_url("website", "javascript:alert(1)").is_err());
        // A host name without its scheme, as partner files write it.
        assert_eq!(
            parse_url("website", "www.weizmann.ac.il/en").unwrap(),
            "https://www.weizmann.ac.il/en"
        );
        assert_eq!(
            parse_url("website", "intel.com").unwrap(),
            "https://intel.com"
        );
        for bad in [
            "intel",
            ".com",
            "not a site.com",
            "mailto:a@b.org",
            "javascript:x.y",
        ] {
            assert!(parse_url("website", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn folding_removes_accents_and_points() {
        assert_eq!(fold("José Müller"), "jose muller");
        assert_eq!(fold("דָּנָה"), "דנה");
    }
}
