//! The entities of domain.md and the description of their fields: one table per entity,
//! one column (or child table) per field. Storage, validation, history and export are
//! driven by these descriptions, so a field is declared once.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An entity of domain.md. Declared in alphabetical order, the order of `export all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Entity {
    Agreement,
    Cohort,
    Fellowship,
    Institution,
    Person,
    Placement,
    Program,
}

impl Entity {
    pub const ALL: [Entity; 7] = [
        Entity::Agreement,
        Entity::Cohort,
        Entity::Fellowship,
        Entity::Institution,
        Entity::Person,
        Entity::Placement,
        Entity::Program,
    ];

    /// The canonical name, which is also the table name.
    pub fn name(self) -> &'static str {
        match self {
            Entity::Agreement => "agreement",
            Entity::Cohort => "cohort",
            Entity::Fellowship => "fellowship",
            Entity::Institution => "institution",
            Entity::Person => "person",
            Entity::Placement => "placement",
            Entity::Program => "program",
        }
    }

    pub fn parse(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The fields of the entity, in the order records are printed.
    pub fn fields(self) -> &'static [Field] {
        match self {
            Entity::Institution => INSTITUTION,
            Entity::Person => PERSON,
            Entity::Program => PROGRAM,
            Entity::Cohort => COHORT,
            Entity::Placement => PLACEMENT,
            Entity::Fellowship => FELLOWSHIP,
            Entity::Agreement => AGREEMENT,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static Field> {
        self.fields().iter().find(|f| f.name == name)
    }

    /// Default order of `list`: the columns a coordinator sorts by.
    pub fn default_order(self) -> &'static str {
        match self {
            Entity::Person => "sort_name, id",
            Entity::Placement | Entity::Fellowship => "created_at, id",
            Entity::Agreement => "title COLLATE NOCASE, id",
            Entity::Cohort => "start_date, name COLLATE NOCASE, id",
            Entity::Institution | Entity::Program => "name COLLATE NOCASE, id",
        }
    }
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How a field is written, checked and stored.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// One line of free text, at most 200 characters.
    Name,
    /// Free text with newlines, at most 10,000 characters.
    Notes,
    /// Hebrew-script name (`_he` fields): at most 200 characters, must hold Hebrew letters.
    NameHe,
    /// Latin-script name: at most 200 characters, no Hebrew letters.
    NameLatin,
    Enum(&'static [&'static str]),
    Bool,
    /// Whole number, at least 0.
    Count,
    /// Money in minor units, at least 0.
    Money,
    Date,
    Country,
    Currency,
    Email,
    Orcid,
    Ror,
    Phone,
    Url,
    /// A quota's direction: `domestic` or `HOME->HOST` country codes.
    Direction,
    /// Id of a record of that entity.
    Ref(Entity),
    /// Ids of records of that entity, kept in a join table.
    RefList {
        target: Entity,
        table: &'static str,
        column: &'static str,
        min: usize,
    },
    /// ISO country codes, stored as a JSON array.
    CountryList,
    /// Values of a closed list, stored as a JSON array.
    EnumList {
        values: &'static [&'static str],
        min: usize,
    },
    /// Records owned by the parent, kept in a child table.
    Children(&'static Child),
    /// Computed by core when the record is written and stored as a column
    /// (a placement's direction); never written by a caller.
    Derived,
    /// Computed by core when the record is read (an agreement's reciprocity balance);
    /// not stored, never written by a caller.
    Computed,
}

/// A field of domain.md.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
}

impl Field {
    /// Whether the field is a column of the entity's own table.
    pub fn is_column(&self) -> bool {
        !matches!(
            self.kind,
            Kind::RefList { .. } | Kind::Children(_) | Kind::Computed
        )
    }

    pub fn is_writable(&self) -> bool {
        !matches!(self.kind, Kind::Derived | Kind::Computed)
    }
}

/// A list of records owned by a parent (checklist items, tranches, reports, quotas).
#[derive(Debug)]
pub struct Child {
    pub table: &'static str,
    pub parent_column: &'static str,
    pub fields: &'static [Field],
}

const fn f(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
    }
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
    }
}

pub const SECTORS: &[&str] = &["academia", "government", "industry", "nonprofit"];
pub const PROGRAM_KINDS: &[&str] = &[
    "joint_training",
    "academic_exchange",
    "fellowship",
    "collaborative_project",
];
pub const TECH_AREAS: &[&str] = &[
    "ai",
    "advanced_computing",
    "semiconductors",
    "energy",
    "space",
    "robotics",
    "other",
];
pub const ROLES: &[&str] = &["participant", "mentor", "staff"];
pub const STATUSES: &[&str] = &[
    "nominated",
    "applied",
    "accepted",
    "confirmed",
    "active",
    "completed",
    "withdrawn",
    "declined",
];
pub const SCREENINGS: &[&str] = &["not_required", "pending", "cleared", "flagged"];
pub const VISA_TYPES: &[&str] = &["J-1", "F-1", "B/1", "A/2", "other"];
pub const CHECKLIST_KINDS: &[&str] = &[
    "visa",
    "insurance",
    "agreement_signed",
    "screening",
    "housing",
    "other",
];
pub const CHECKLIST_STATUSES: &[&str] = &["missing", "submitted", "verified"];
pub const TRANCHE_STATUSES: &[&str] = &["scheduled", "paid", "held"];
/// The words a placement's derived `direction` may be besides `HOME->HOST` codes.
pub const DIRECTION_WORDS: &[&str] = &["domestic"];

/// The labels of one closed list's values in English and Hebrew.
#[derive(Debug)]
pub struct EnumLabels {
    /// The list's name in the UI's label keys (`status.nominated`, `checkStatus.missing`).
    pub group: &'static str,
    /// The canonical values, as in the entity descriptions below.
    pub values: &'static [&'static str],
    /// `(value, English, Hebrew)` for every value.
    pub labels: &'static [(&'static str, &'static str, &'static str)],
}

/// The one table of enum labels: rosters written in a language show these, an import
/// reads them back (either language), and the UI shows them (ui/src/lib/enumLabels.json
/// is written from this table by a test). A test checks every value has one label per
/// language and no label stands for two values of a list.
pub const ENUM_LABELS: &[EnumLabels] = &[
    EnumLabels {
        group: "status",
        values: STATUSES,
        labels: &[
            ("nominated", "Nominated", "הוצע"),
            ("applied", "Applied", "הוגשה בקשה"),
            ("accepted", "Accepted", "התקבל"),
            ("confirmed", "Confirmed", "אושר"),
            ("active", "Active", "פעיל"),
            ("completed", "Completed", "הושלם"),
            ("withdrawn", "Withdrawn", "בוטל"),
            ("declined", "Declined", "נדחה"),
        ],
    },
    EnumLabels {
        group: "role",
        values: ROLES,
        labels: &[
            ("participant", "Participant", "משתתף/ת"),
            ("mentor", "Mentor", "מנטור/ית"),
            ("staff", "Staff", "צוות"),
        ],
    },
    EnumLabels {
        group: "screening",
        values: SCREENINGS,
        labels: &[
            ("not_required", "Not required", "לא נדרשת"),
            ("pending", "Pending", "ממתינה"),
            ("cleared", "Cleared", "אושרה"),
            ("flagged", "Flagged", "סומנה לבירור"),
        ],
    },
    EnumLabels {
        group: "kind",
        values: PROGRAM_KINDS,
        labels: &[
            ("joint_training", "Joint training", "הכשרה משותפת"),
            ("academic_exchange", "Academic exchange", "חילופים אקדמיים"),
            ("fellowship", "Fellowship", "מלגה"),
            (
                "collaborative_project",
                "Collaborative project",
                "פרויקט משותף",
            ),
        ],
    },
    EnumLabels {
        group: "tech",
        values: TECH_AREAS,
        labels: &[
            ("ai", "AI", "בינה מלאכותית"),
            ("advanced_computing", "Advanced computing", "מחשוב מתקדם"),
            ("semiconductors", "Semiconductors", "מוליכים למחצה"),
            ("energy", "Energy", "אנרגיה"),
            ("space", "Space", "חלל"),
            ("robotics", "Robotics", "רובוטיקה"),
            ("other", "Other", "אחר"),
        ],
    },
    EnumLabels {
        group: "sector",
        values: SECTORS,
        labels: &[
            ("academia", "Academia", "אקדמיה"),
            ("government", "Government", "ממשלה"),
            ("industry", "Industry", "תעשייה"),
            ("nonprofit", "Nonprofit", "מלכ״ר"),
        ],
    },
    EnumLabels {
        group: "checklist",
        values: CHECKLIST_KINDS,
        labels: &[
            ("visa", "Visa", "אשרה"),
            ("insurance", "Insurance", "ביטוח"),
            ("agreement_signed", "Agreement signed", "הסכם חתום"),
            ("screening", "Screening", "בדיקה ביטחונית"),
            ("housing", "Housing", "דיור"),
            ("other", "Other", "אחר"),
        ],
    },
    EnumLabels {
        group: "checkStatus",
        values: CHECKLIST_STATUSES,
        labels: &[
            ("missing", "Missing", "חסר"),
            ("submitted", "Submitted", "הוגש"),
            ("verified", "Verified", "אומת"),
        ],
    },
    EnumLabels {
        group: "tranche",
        values: TRANCHE_STATUSES,
        labels: &[
            ("scheduled", "Scheduled", "מתוכנן"),
            ("paid", "Paid", "שולם"),
            ("held", "Held", "מעוכב"),
        ],
    },
    EnumLabels {
        group: "visa",
        values: VISA_TYPES,
        labels: &[
            ("J-1", "J-1", "J-1"),
            ("F-1", "F-1", "F-1"),
            ("B/1", "B/1", "B/1"),
            ("A/2", "A/2", "A/2"),
            ("other", "Other", "אחר"),
        ],
    },
    EnumLabels {
        group: "direction",
        values: DIRECTION_WORDS,
        labels: &[("domestic", "Domestic", "מקומי")],
    },
];

impl EnumLabels {
    /// The labels of the list whose values are `values` (compared by content).
    pub fn of(values: &[&str]) -> Option<&'static EnumLabels> {
        ENUM_LABELS.iter().find(|l| l.values == values)
    }

    /// The label of `value` in English or Hebrew; `None` for a value not in the list.
    pub fn label(&self, value: &str, hebrew: bool) -> Option<&'static str> {
        self.labels
            .iter()
            .find(|(v, ..)| *v == value)
            .map(|&(_, en, he)| if hebrew { he } else { en })
    }

    /// The value that `text` is, or whose English or Hebrew label it is. Case, spaces,
    /// punctuation and quote marks (gershayim, geresh) are ignored, and Hebrew final letters
    /// count as their ordinary forms, so `J1` is `J-1` and `משתתפת` is `משתתף/ת`. Partner
    /// files write Hebrew labels in either gender: a label written `משתתף/ת` matches its
    /// first form `משתתף` and its second `משתתפת`; a one-form label (`התקבל`) also matches
    /// its feminine form (`התקבלה`, `התקבל/ה`); [`LABEL_VARIANTS`] adds the other common
    /// words for a value.
    pub fn value_of(&self, text: &str) -> Option<&'static str> {
        let want = label_key(text);
        if want.is_empty() {
            return None;
        }
        let found = self
            .labels
            .iter()
            .find_map(|&(value, ..)| self.forms(value).contains(&want).then_some(value));
        // `פעיל/ה`: a gender ending written after a slash.
        match (found, text.split_once('/')) {
            (None, Some((first, _))) if crate::values::has_hebrew(first) => self.value_of(first),
            (found, _) => found,
        }
    }

    /// Every folded form [`EnumLabels::value_of`] reads as `value`.
    fn forms(&self, value: &str) -> Vec<String> {
        let mut forms = Vec::new();
        if let Some(&(value, en, he)) = self.labels.iter().find(|(v, ..)| *v == value) {
            forms.extend([value, en, he].map(label_key));
            match he.split_once('/') {
                Some((first, _)) => forms.push(label_key(first)),
                None if crate::values::has_hebrew(he) => forms.push(label_key(&format!("{he}ה"))),
                None => {}
            }
            for &(group, v, words) in LABEL_VARIANTS {
                if group == self.group && v == value {
                    for word in words {
                        forms.push(label_key(word));
                        if let Some((first, _)) = word.split_once('/')
                            && crate::values::has_hebrew(first)
                        {
                            forms.push(label_key(first));
                        }
                    }
                }
            }
        }
        forms.retain(|f| !f.is_empty());
        forms
    }
}

/// More words partner files use for the values of a closed list, beyond the labels of
/// [`ENUM_LABELS`] (which the UI shows): `(group, value, words)`. Read only; a test
/// checks that no word stands for two values of a list.
pub const LABEL_VARIANTS: &[(&str, &str, &[&str])] = &[
    ("status", "nominated", &["nominee", "מועמד/ת", "מוצע/ת"]),
    (
        "status",
        "applied",
        &["application submitted", "הגיש/ה בקשה", "הגיש/ה", "נרשם/ה"],
    ),
    ("status", "accepted", &["admitted", "selected", "נבחר/ה"]),
    ("status", "confirmed", &["מאושר/ת"]),
    ("status", "active", &["in progress", "ongoing", "בתהליך"]),
    (
        "status",
        "completed",
        &[
            "complete",
            "finished",
            "done",
            "הסתיים",
            "הסתיימה",
            "סיים/ה",
        ],
    ),
    (
        "status",
        "withdrawn",
        &[
            "withdrew",
            "cancelled",
            "canceled",
            "פרש/ה",
            "ביטל/ה",
            "נסוג/ה",
        ],
    ),
    (
        "status",
        "declined",
        &[
            "rejected",
            "refused",
            "נדחתה",
            "נדחה/תה",
            "דחה",
            "דחתה",
            "דחה/תה",
            "סירב/ה",
        ],
    ),
    ("role", "mentor", &["חונך/ת", "מנחה"]),
    ("role", "staff", &["איש צוות", "אשת צוות", "אנשי צוות"]),
    ("screening", "not_required", &["n/a", "לא נדרש"]),
    ("screening", "pending", &["ממתין", "בבדיקה"]),
    (
        "screening",
        "cleared",
        &["passed", "approved", "עבר/ה", "אושר/ה"],
    ),
    ("screening", "flagged", &["סומן/ה"]),
];

/// A label folded for matching: letters and digits only, lower case, Hebrew final letters
/// as their ordinary forms (`משתתף/ת` → `משתתפת`).
fn label_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ך' => 'כ',
            'ם' => 'מ',
            'ן' => 'נ',
            'ף' => 'פ',
            'ץ' => 'צ',
            c => c,
        })
        .collect()
}

/// The canonical value of `text` in the list `values` read as one of its labels
/// (English or Hebrew), for reading files written with labels (a Hebrew roster).
pub fn enum_value_of_label(values: &[&str], text: &str) -> Option<&'static str> {
    EnumLabels::of(values)?.value_of(text)
}

const INSTITUTION: &[Field] = &[
    req("name", Kind::Name),
    f("name_he", Kind::NameHe),
    req("country", Kind::Country),
    f("sector", Kind::Enum(SECTORS)),
    f("city", Kind::Name),
    f("website", Kind::Url),
    f("ror", Kind::Ror),
];

const PERSON: &[Field] = &[
    f("given_name", Kind::NameLatin),
    f("family_name", Kind::NameLatin),
    f("given_name_he", Kind::NameHe),
    f("family_name_he", Kind::NameHe),
    f("email", Kind::Email),
    f("orcid", Kind::Orcid),
    f("birth_date", Kind::Date),
    f("citizenships", Kind::CountryList),
    f("phone", Kind::Phone),
    f("home_institution_id", Kind::Ref(Entity::Institution)),
    f("notes", Kind::Notes),
];

const PROGRAM: &[Field] = &[
    req("name", Kind::Name),
    req("kind", Kind::Enum(PROGRAM_KINDS)),
    req(
        "tech_areas",
        Kind::EnumList {
            values: TECH_AREAS,
            min: 1,
        },
    ),
    f("sensitive", Kind::Bool),
    f(
        "partner_institution_ids",
        Kind::RefList {
            target: Entity::Institution,
            table: "program_partner",
            column: "institution_id",
            min: 0,
        },
    ),
    f("funder", Kind::Name),
    f("description", Kind::Notes),
    f("archived", Kind::Bool),
];

const COHORT: &[Field] = &[
    req("program_id", Kind::Ref(Entity::Program)),
    req("name", Kind::Name),
    f("start_date", Kind::Date),
    f("end_date", Kind::Date),
    f("capacity", Kind::Count),
    f("host_institution_id", Kind::Ref(Entity::Institution)),
    f("location", Kind::Name),
    f("archived", Kind::Bool),
];

pub const CHECKLIST_ITEM: Child = Child {
    table: "checklist_item",
    parent_column: "placement_id",
    fields: &[
        req("kind", Kind::Enum(CHECKLIST_KINDS)),
        f("status", Kind::Enum(CHECKLIST_STATUSES)),
        f("due_date", Kind::Date),
    ],
};

const PLACEMENT: &[Field] = &[
    req("person_id", Kind::Ref(Entity::Person)),
    req("cohort_id", Kind::Ref(Entity::Cohort)),
    f("role", Kind::Enum(ROLES)),
    f("home_institution_id", Kind::Ref(Entity::Institution)),
    f("host_institution_id", Kind::Ref(Entity::Institution)),
    f("start_date", Kind::Date),
    f("end_date", Kind::Date),
    f("direction", Kind::Derived),
    f("status", Kind::Enum(STATUSES)),
    f("screening", Kind::Enum(SCREENINGS)),
    f("visa_type", Kind::Enum(VISA_TYPES)),
    f("visa_expires", Kind::Date),
    f("checklist", Kind::Children(&CHECKLIST_ITEM)),
    f("notes", Kind::Notes),
];

pub const TRANCHE: Child = Child {
    table: "tranche",
    parent_column: "fellowship_id",
    fields: &[
        req("due_date", Kind::Date),
        req("amount_minor", Kind::Money),
        f("status", Kind::Enum(TRANCHE_STATUSES)),
        f("paid_on", Kind::Date),
    ],
};

pub const REPORT: Child = Child {
    table: "report",
    parent_column: "fellowship_id",
    fields: &[
        req("title", Kind::Name),
        f("due_date", Kind::Date),
        f("submitted_on", Kind::Date),
    ],
};

const FELLOWSHIP: &[Field] = &[
    req("person_id", Kind::Ref(Entity::Person)),
    f("placement_id", Kind::Ref(Entity::Placement)),
    req("title", Kind::Name),
    req("award_minor", Kind::Money),
    req("currency", Kind::Currency),
    f("tranches", Kind::Children(&TRANCHE)),
    f("reports", Kind::Children(&REPORT)),
];

pub const QUOTA: Child = Child {
    table: "quota",
    parent_column: "agreement_id",
    fields: &[
        req("academic_year", Kind::Name),
        req("direction", Kind::Direction),
        req("places", Kind::Count),
    ],
};

const AGREEMENT: &[Field] = &[
    req("title", Kind::Name),
    req(
        "institution_ids",
        Kind::RefList {
            target: Entity::Institution,
            table: "agreement_institution",
            column: "institution_id",
            min: 2,
        },
    ),
    f("valid_from", Kind::Date),
    f("valid_to", Kind::Date),
    f("quotas", Kind::Children(&QUOTA)),
    f("reciprocity_balance", Kind::Computed),
];

/// The enum labels as the UI reads them: `{"en": {"status.nominated": "Nominated", …},
/// "he": {…}}` (ui/src/lib/enumLabels.json).
pub fn enum_labels_json() -> String {
    let mut en = serde_json::Map::new();
    let mut he = serde_json::Map::new();
    for list in ENUM_LABELS {
        for &(value, l_en, l_he) in list.labels {
            let key = format!("{}.{value}", list.group);
            en.insert(key.clone(), l_en.into());
            he.insert(key, l_he.into());
        }
    }
    let mut out = serde_json::to_string_pretty(&serde_json::json!({ "en": en, "he": he }))
        .unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of every closed list has one label per language, in the list's order,
    /// and within a list no label (folded) stands for two values, so reading labels
    /// back is unambiguous.
    #[test]
    fn every_enum_value_has_labels_that_read_back_to_it() {
        let mut lists: Vec<&[&str]> = vec![DIRECTION_WORDS];
        for entity in Entity::ALL {
            let children = entity.fields().iter().filter_map(|f| match f.kind {
                Kind::Children(c) => Some(c.fields),
                _ => None,
            });
            for field in entity.fields().iter().chain(children.flatten()) {
                match field.kind {
                    Kind::Enum(values) | Kind::EnumList { values, .. } => lists.push(values),
                    _ => {}
                }
            }
        }
        for values in lists {
            let labels =
                EnumLabels::of(values).unwrap_or_else(|| panic!("no labels for {values:?}"));
            let keys: Vec<&str> = labels.labels.iter().map(|l| l.0).collect();
            assert_eq!(keys, values, "{}", labels.group);
            for &(value, en, he) in labels.labels {
                assert!(!en.is_empty() && !he.is_empty(), "{}.{value}", labels.group);
                for text in [value, en, he, &en.to_uppercase(), &format!("  {he} ")] {
                    assert_eq!(
                        labels.value_of(text),
                        Some(value),
                        "{}: {text:?}",
                        labels.group
                    );
                }
            }
        }
        assert_eq!(enum_value_of_label(ROLES, "משתתף"), Some("participant"));
        assert_eq!(enum_value_of_label(SECTORS, "מלכ\"ר"), Some("nonprofit"));
        assert_eq!(enum_value_of_label(STATUSES, ""), None);
        assert_eq!(enum_value_of_label(STATUSES, "/"), None);
        assert_eq!(enum_value_of_label(STATUSES, "accepted!"), Some("accepted"));
    }

    /// Partner files write labels in either gender, with a slash, with other punctuation
    /// or with a common synonym (LABEL_VARIANTS); none of these forms stands for two
    /// values of one list.
    #[test]
    fn labels_read_in_either_gender_and_common_words() {
        for (values, text, want) in [
            (ROLES, "משתתפת", "participant"),
            (ROLES, "משתתף/ת", "participant"),
            (ROLES, "מנטורית", "mentor"),
            (ROLES, "חונכת", "mentor"),
            (STATUSES, "התקבל/ה", "accepted"),
            (STATUSES, "התקבלה", "accepted"),
            (STATUSES, "מועמדת", "nominated"),
            (STATUSES, "מועמד", "nominated"),
            (STATUSES, "הוצעה", "nominated"),
            (STATUSES, "אושרה", "confirmed"),
            (STATUSES, "פעיל/ה", "active"),
            (STATUSES, "פעילה", "active"),
            (STATUSES, "הושלמה", "completed"),
            (STATUSES, "בוטלה", "withdrawn"),
            (STATUSES, "נדחתה", "declined"),
            (STATUSES, "In progress", "active"),
            (STATUSES, "Rejected", "declined"),
            (SCREENINGS, "אושר", "cleared"),
            (SCREENINGS, "Not-required", "not_required"),
            (SCREENINGS, "N/A", "not_required"),
            (VISA_TYPES, "J1", "J-1"),
            (VISA_TYPES, "b-1", "B/1"),
            (SECTORS, "מלכ״ר", "nonprofit"),
        ] {
            assert_eq!(enum_value_of_label(values, text), Some(want), "{text:?}");
        }
        for labels in ENUM_LABELS {
            let mut seen: Vec<(String, &str)> = Vec::new();
            for &(value, ..) in labels.labels {
                for form in labels.forms(value) {
                    if let Some((_, other)) = seen.iter().find(|(f, v)| *f == form && *v != value) {
                        panic!("{}: {form:?} reads as {other} and {value}", labels.group);
                    }
                    seen.push((form, value));
                }
            }
        }
        for &(group, value, _) in LABEL_VARIANTS {
            assert!(
                ENUM_LABELS
                    .iter()
                    .any(|l| l.group == group && l.values.contains(&value)),
                "{group}.{value} is not a value of a list"
            );
        }
    }

    /// ui/src/lib/enumLabels.json is this table as it is: run with
    /// `EXDESK_WRITE_LABELS=1` to rewrite it.
    #[test]
    fn ui_enum_labels_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/lib/enumLabels.json");
        let want = enum_labels_json();
        if std::env::var_os("EXDESK_WRITE_LABELS").is_some() {
            std::fs::write(&path, &want).expect("write enumLabels.json");
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{} is stale: run `EXDESK_WRITE_LABELS=1 cargo test -p exdesk-core --lib entity` and commit it",
            path.display()
        );
    }
}
