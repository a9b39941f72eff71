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
        req("direction", Kind::Name),
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
