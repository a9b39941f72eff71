//! `exdesk gen`: fills an empty database with a synthetic dataset in the proportions of a
//! national program (issue 7). For N people: N/40 institutions (US, Israel and about thirty
//! allied countries, all four sectors, Hebrew names for Israeli ones), N/200 programs (every
//! kind and technology area, about a quarter sensitive), N/50 cohorts, 2N placements in every
//! status, N/4 fellowships with tranches and reports (USD and ILS), N/400 agreements with
//! quotas, and one national-intake cohort of N/20 placements.
//!
//! Every record goes through the validated write of [`Db::add`] (parsing, reference checks,
//! rules, history, search index, sync clocks), all inside one savepoint: an interrupted or
//! failed run leaves the database empty. For speed the records are made and parsed on a
//! second thread, each is written without a savepoint of its own (the generator's one undoes
//! everything on any failure) and without being read back, and the connection is tuned for
//! the one big transaction while it lasts (see `BulkSettings`).
//!
//! Determinism: a small seeded PRNG (xoshiro256**, seeded by splitmix64) drives every
//! choice, and record ids are UUID v7-shaped values derived from the seed (a fixed epoch
//! plus a sequence number, random bits from the PRNG). The same people count and seed give
//! the same records, ids and field values; only `created_at` and `updated_at` differ between
//! runs, because core stamps them with the time of the write. Dates are anchored on the
//! fixed reference day [`REFERENCE_DAY`], not on today, so the data does not drift.

use std::collections::HashSet;

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::entity::{Entity, STATUSES};
use crate::error::{Error, Result};
use crate::import::Progress;
use crate::msg;
use crate::records::{Record, WriteOptions, parse_input};
use crate::{Db, values};

/// The day the synthetic data is "as of": cohorts before it are over, after it upcoming.
pub const REFERENCE_DAY: (i32, u32, u32) = (2026, 11, 1);

/// Unix time in milliseconds of the first generated id (2025-01-01T00:00:00Z); each record
/// adds one millisecond, so ids sort in the order records were written.
const ID_EPOCH_MS: u64 = 1_735_689_600_000;

/// The page cache while generating, in KiB (negative: SQLite's unit for a size in KiB).
const GEN_CACHE_KIB: i64 = -128 * 1024;

/// Prepared statements kept while generating, and rusqlite's default afterwards.
const GEN_STATEMENTS: usize = 256;
const DEFAULT_STATEMENTS: usize = 16;

/// Records handed from the generating thread to the writing one at a time.
const BATCH: usize = 256;

/// The largest dataset `gen` builds.
pub const MAX_PEOPLE: u32 = 2_000_000;

/// What `gen` wrote.
#[derive(Debug, Clone, Serialize)]
pub struct GenSummary {
    pub seed: u64,
    pub people: u32,
    pub institutions: u32,
    pub programs: u32,
    pub cohorts: u32,
    pub placements: u32,
    pub fellowships: u32,
    pub agreements: u32,
    /// The national-intake cohort: its id, name and number of placements.
    pub national_cohort_id: String,
    pub national_cohort_name: String,
    pub national_placements: u32,
}

impl Db {
    /// Fills an empty database with a synthetic national-scale dataset of `people` people
    /// (see the module documentation); refused when the database holds records. `progress`
    /// is called about every 1% of the records; returning false cancels, and then nothing
    /// is written.
    pub fn generate(
        &mut self,
        people: u32,
        seed: u64,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<GenSummary> {
        if !(1..=MAX_PEOPLE).contains(&people) {
            return Err(Error::invalid(
                "people",
                msg!(GEN_PEOPLE_RANGE, max = MAX_PEOPLE, people),
            ));
        }
        if !self.is_empty()? {
            return Err(Error::refused("", msg!(GEN_NOT_EMPTY)));
        }
        let mut plan = Gen::new(people, seed);
        plan.plan();
        let saved = BulkSettings::apply(&self.conn, GEN_CACHE_KIB, true)?;
        self.conn.execute_batch("SAVEPOINT gen")?;
        let result = match plan.write(self, progress) {
            Ok(summary) => self
                .conn
                .execute_batch("RELEASE gen")
                .map(|()| summary)
                .map_err(Error::from),
            Err(e) => self
                .conn
                .execute_batch("ROLLBACK TO gen; RELEASE gen")
                .map_err(Error::from)
                .and(Err(e)),
        };
        saved.restore(&self.conn)?;
        result
    }
}

/// Settings of this connection for one big transaction of many record writes (the
/// generator, a file import), put back afterwards.
pub(crate) struct BulkSettings {
    wal: bool,
    temp_store: i64,
    cache_size: i64,
}

impl BulkSettings {
    /// `cache_kib` is the page cache while it lasts (negative: KiB); `empty_file` allows
    /// leaving the write-ahead log while an empty database is filled.
    pub(crate) fn apply(
        conn: &rusqlite::Connection,
        cache_kib: i64,
        empty_file: bool,
    ) -> Result<BulkSettings> {
        let journal: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        let saved = BulkSettings {
            wal: journal.eq_ignore_ascii_case("wal"),
            temp_store: conn.query_row("PRAGMA temp_store", [], |r| r.get(0))?,
            cache_size: conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?,
        };
        // A rollback journal instead of the write-ahead log while filling the empty file:
        // pages are written once, into the database, instead of into the log and again by
        // the checkpoint. SQLite refuses the switch while another connection has the file
        // open; then the log stays. (Every open puts WAL mode back in any case.)
        if saved.wal && empty_file {
            let _ = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            });
        }
        // The savepoints' undo pages in memory rather than in a temporary file, and room
        // in the page cache so the transaction rarely spills before it commits.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "cache_size", cache_kib)?;
        // Every statement of every entity's validated write stays prepared.
        conn.set_prepared_statement_cache_capacity(GEN_STATEMENTS);
        Ok(saved)
    }

    pub(crate) fn restore(&self, conn: &rusqlite::Connection) -> Result<()> {
        conn.set_prepared_statement_cache_capacity(DEFAULT_STATEMENTS);
        conn.pragma_update(None, "temp_store", self.temp_store)?;
        conn.pragma_update(None, "cache_size", self.cache_size)?;
        if self.wal {
            // Best effort, like the switch away from it: every open sets WAL mode again.
            let _ = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        }
        Ok(())
    }
}

// ------------------------------------------------------------------ random numbers

/// xoshiro256** seeded through splitmix64: small, fast, and the same on every platform.
struct Rng([u64; 4]);

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng([next(), next(), next(), next()])
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.0;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as usize) as i64
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index drawn with the given weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut r = self.below(total as usize) as u32;
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    /// An index in `0..n` favouring the first ones (a few big institutions, a long tail).
    fn skewed(&mut self, n: usize, power: f64) -> usize {
        ((self.unit().powf(power) * n as f64) as usize).min(n - 1)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

// ------------------------------------------------------------------ name tables

/// A weighted list of names, each in Latin script and optionally in Hebrew.
struct Names {
    latin: Vec<&'static str>,
    hebrew: Vec<Option<&'static str>>,
    cumulative: Vec<u32>,
}

impl Names {
    /// Entries are separated by commas, an entry's parts by `|`: a Latin name, a Hebrew
    /// name, a weight. Without a weight an entry weighs by its rank (earlier = commoner).
    fn parse(spec: &'static str) -> Names {
        let mut names = Names {
            latin: vec![],
            hebrew: vec![],
            cumulative: vec![],
        };
        let mut total = 0;
        for (rank, entry) in spec
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .enumerate()
        {
            let (mut latin, mut hebrew, mut weight) = ("", None, None);
            for part in entry.split('|') {
                if let Ok(w) = part.parse::<u32>() {
                    weight = Some(w);
                } else if values::has_hebrew(part) {
                    hebrew = Some(part);
                } else {
                    latin = part;
                }
            }
            total += weight.unwrap_or(1000 / (rank as u32 + 4)).max(1);
            names.latin.push(latin);
            names.hebrew.push(hebrew);
            names.cumulative.push(total);
        }
        names
    }

    fn len(&self) -> usize {
        self.latin.len()
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1);
        let r = rng.below(total as usize) as u32;
        self.cumulative.partition_point(|&c| c <= r)
    }

    /// Hebrew when there is one, else Latin.
    fn he(&self, i: usize) -> &'static str {
        self.hebrew[i].unwrap_or(self.latin[i])
    }
}

/// Given and family names of one naming tradition.
struct Culture {
    given: Names,
    family: Names,
}

impl Culture {
    fn new(spec: &(&'static str, &'static str, &'static str)) -> Culture {
        Culture {
            given: Names::parse(spec.1),
            family: Names::parse(spec.2),
        }
    }
}

struct Country {
    code: &'static str,
    /// Naming traditions of its people (one picked at random per person).
    cultures: Vec<usize>,
    phone: &'static str,
    /// Domain endings by sector: academia, government, industry, nonprofit.
    tlds: [&'static str; 4],
    legal: &'static str,
    /// Places institutions are named for, and the city each is in.
    places: Names,
    cities: Vec<&'static str>,
}

/// Everything the generator draws from, parsed once.
struct Tables {
    countries: Vec<Country>,
    country_weights: Vec<u32>,
    cultures: Vec<Culture>,
    fields: Names,
    brands: Names,
    brand_he: Names,
    industry: Names,
    topics: Vec<Names>,
}

impl Tables {
    fn new() -> Tables {
        let cultures: Vec<Culture> = CULTURES.iter().map(Culture::new).collect();
        let culture_index = |key: &str| {
            CULTURES
                .iter()
                .position(|c| c.0 == key)
                .unwrap_or_else(|| panic!("no culture {key}"))
        };
        let countries = COUNTRIES
            .iter()
            .map(|c| {
                let tlds: Vec<&str> = c.tlds.split(' ').collect();
                // "Texas>Austin": an institution named for Texas sits in Austin.
                let mut places = Names::parse(c.places);
                let cities = places
                    .latin
                    .iter()
                    .map(|p| p.split_once('>').map_or(*p, |(_, city)| city))
                    .collect();
                for p in &mut places.latin {
                    *p = p.split_once('>').map_or(*p, |(name, _)| name);
                }
                Country {
                    code: c.code,
                    cultures: c.cultures.split(' ').map(culture_index).collect(),
                    phone: c.phone,
                    tlds: [tlds[0], tlds[1], tlds[2], tlds[3]],
                    legal: c.legal,
                    places,
                    cities,
                }
            })
            .collect();
        Tables {
            countries,
            country_weights: COUNTRIES.iter().map(|c| c.weight).collect(),
            cultures,
            fields: Names::parse(FIELDS),
            brands: Names::parse(BRAND_STEMS),
            brand_he: Names::parse(BRANDS_HE),
            industry: Names::parse(INDUSTRY_WORDS),
            topics: TOPICS.iter().map(|t| Names::parse(t)).collect(),
        }
    }
}

// ------------------------------------------------------------------ the plan

const US: usize = 0;
const IL: usize = 1;
/// Country groups people are drawn from: the US, Israel, everyone else.
const GROUPS: usize = 3;

const ACADEMIA: usize = 0;
const GOVERNMENT: usize = 1;
const INDUSTRY: usize = 2;
const NONPROFIT: usize = 3;
const SECTOR_NAMES: [&str; 4] = ["academia", "government", "industry", "nonprofit"];

fn group_of(country: usize) -> usize {
    country.min(2)
}

struct Inst {
    id: String,
    country: usize,
    sector: usize,
    name: String,
    city: Option<&'static str>,
    domain: String,
    record: Map<String, Value>,
}

struct Person {
    id: String,
    home: Option<u32>,
    group: u8,
}

struct Program {
    id: String,
    kind: usize,
    sensitive: bool,
    topic: &'static str,
    record: Map<String, Value>,
}

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Past,
    Current,
    Future,
    National,
}

struct Cohort {
    id: String,
    program: u32,
    host: u32,
    start: NaiveDate,
    end: NaiveDate,
    phase: Phase,
    record: Map<String, Value>,
}

struct Placement {
    id: String,
    person: u32,
    cohort: u32,
    status: u8,
    role: u8,
    start: NaiveDate,
}

struct Fellowship {
    person: u32,
    placement: Option<u32>,
}

struct Gen {
    rng: Rng,
    seq: u64,
    people: u32,
    seed: u64,
    t: Tables,
    reference: NaiveDate,
    institutions: Vec<Inst>,
    /// Institution indices by country group, then by sector.
    by_group: Vec<[Vec<u32>; 4]>,
    persons: Vec<Person>,
    programs: Vec<Program>,
    cohorts: Vec<Cohort>,
    placements: Vec<Placement>,
    fellowships: Vec<Fellowship>,
    agreements: usize,
    /// Names, domains and e-mail addresses already used (all unique).
    taken: HashSet<String>,
    /// ORCID iDs and ROR ids already used.
    ids: HashSet<String>,
}

/// Placement status weights (order of [`STATUSES`]) by the cohort's place in time.
const STATUS_WEIGHTS: [[u32; 8]; 4] = [
    // nominated applied accepted confirmed active completed withdrawn declined
    [5, 5, 10, 10, 10, 820, 80, 60],      // past
    [0, 0, 40, 40, 780, 30, 80, 30],      // current
    [220, 280, 200, 180, 0, 0, 50, 70],   // future
    [150, 250, 200, 150, 100, 0, 70, 80], // the national intake (a live pipeline)
];
const CONFIRMED: u8 = 3;
const WITHDRAWN: u8 = 6;
const ROLES: [&str; 3] = ["participant", "mentor", "staff"];

impl Gen {
    fn new(people: u32, seed: u64) -> Gen {
        let (y, m, d) = REFERENCE_DAY;
        Gen {
            rng: Rng::new(seed),
            seq: 0,
            people,
            seed,
            t: Tables::new(),
            reference: NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default(),
            institutions: vec![],
            by_group: (0..GROUPS).map(|_| Default::default()).collect(),
            persons: vec![],
            programs: vec![],
            cohorts: vec![],
            placements: vec![],
            fellowships: vec![],
            agreements: 0,
            taken: HashSet::new(),
            ids: HashSet::new(),
        }
    }

    /// A UUID v7-shaped id: the id epoch plus a sequence number as its time, then random
    /// bits from the seeded generator.
    fn id(&mut self) -> String {
        self.seq += 1;
        let ms = ID_EPOCH_MS + self.seq;
        let (a, b) = (self.rng.next_u64(), self.rng.next_u64());
        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
        bytes[6] = 0x70 | (a >> 60) as u8;
        bytes[7] = (a >> 52) as u8;
        bytes[8] = 0x80 | ((b >> 58) as u8 & 0x3f);
        bytes[9..].copy_from_slice(&b.to_be_bytes()[1..]);
        uuid::Uuid::from_bytes(bytes).hyphenated().to_string()
    }

    fn counts(&self) -> (usize, usize, usize) {
        let n = self.people as usize;
        let institutions = (n / 40).max(24);
        let programs = (n / 200).max(8);
        let cohorts = (n / 50).max(2 * programs);
        (institutions, programs, cohorts)
    }

    /// Decides every record in memory (institutions, programs and cohorts in full; people,
    /// placements and fellowships as skeletons filled in when written).
    fn plan(&mut self) {
        let (n_inst, n_prog, n_cohort) = self.counts();
        for i in 0..n_inst {
            self.plan_institution(i);
        }
        for i in 0..self.people {
            self.plan_person(i);
        }
        let mut cohorts_of = vec![1usize; n_prog];
        let sizes: Vec<u32> = (0..n_prog)
            .map(|_| self.rng.between(1, 10) as u32)
            .collect();
        for _ in n_prog..n_cohort {
            let p = 1 + self.rng.weighted(&sizes[1..]);
            cohorts_of[p] += 1;
        }
        for (i, count) in cohorts_of.into_iter().enumerate() {
            self.plan_program(i, count);
        }
        self.plan_placements();
        self.plan_fellowships();
        self.agreements = (self.people as usize / 400).max(2);
    }

    fn plan_institution(&mut self, i: usize) {
        // The first eight cover both partner countries in all four sectors.
        let (country, sector) = if i < 8 {
            (i % 2, i / 2)
        } else {
            let country = self.rng.weighted(&self.t.country_weights);
            let weights: [u32; 4] = match country {
                US => [35, 15, 38, 12],
                IL => [15, 15, 60, 10],
                _ => [40, 15, 35, 10],
            };
            (country, self.rng.weighted(&weights))
        };
        let id = self.id();
        let (name, name_he, place) = self.institution_name(country, sector);
        let c = &self.t.countries[country];
        let city = c.cities[place];
        let mut slug = slug(&name, c.places.latin[place], sector);
        let tld = c.tlds[sector];
        let mut domain = format!("{slug}{tld}");
        let mut n = 2;
        while !self.taken.insert(domain.clone()) {
            slug = format!("{}{n}", slug.trim_end_matches(char::is_numeric));
            domain = format!("{slug}{tld}");
            n += 1;
        }
        let mut rec = Map::new();
        rec.insert("id".into(), id.clone().into());
        rec.insert("name".into(), name.clone().into());
        if let Some(he) = name_he.filter(|_| self.rng.chance(0.95)) {
            rec.insert("name_he".into(), he.into());
        }
        rec.insert("country".into(), c.code.into());
        if i < 8 || self.rng.chance(0.97) {
            rec.insert("sector".into(), SECTOR_NAMES[sector].into());
        }
        let city = (i < 8 || self.rng.chance(0.92)).then_some(city);
        if let Some(city) = city {
            rec.insert("city".into(), city.into());
        }
        if self.rng.chance(0.88) {
            rec.insert("website".into(), format!("https://www.{domain}").into());
        }
        let ror_share = [0.75, 0.5, 0.05, 0.4][sector];
        if self.rng.chance(ror_share) {
            let ror = self.ror();
            rec.insert("ror".into(), ror.into());
        }
        let index = self.institutions.len() as u32;
        self.by_group[group_of(country)][sector].push(index);
        self.institutions.push(Inst {
            id,
            country,
            sector,
            name,
            city,
            domain,
            record: rec,
        });
    }

    /// A valid, unique ROR id: `0`, six Crockford base32 characters, two check digits.
    fn ror(&mut self) -> String {
        const CROCKFORD: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
        loop {
            let mut n: u64 = 0;
            let mut s = String::from("0");
            for _ in 0..6 {
                let v = self.rng.below(32);
                n = n * 32 + v as u64;
                s.push(CROCKFORD[v] as char);
            }
            let check = 98 - (n * 100 % 97);
            let ror = format!("{s}{check:02}");
            if self.ids.insert(ror.clone()) {
                return ror;
            }
        }
    }

    /// A unique institution name (and Hebrew name, in Israel) and the place it is named for.
    fn institution_name(
        &mut self,
        country: usize,
        sector: usize,
    ) -> (String, Option<String>, usize) {
        for attempt in 0..40 {
            let (name, he, place) = self.institution_name_once(country, sector);
            let name = if attempt < 30 {
                name
            } else {
                // A branch campus or office in another city of the same country.
                let c = &self.t.countries[country];
                let other = c.places.pick(&mut self.rng);
                format!("{name} – {}", c.places.latin[other])
            };
            if self.taken.insert(name.to_lowercase()) {
                return (name, he, place);
            }
        }
        let (name, he, place) = self.institution_name_once(country, sector);
        let n = self.institutions.len();
        (format!("{name} {n}"), he.map(|h| format!("{h} {n}")), place)
    }

    fn institution_name_once(
        &mut self,
        country: usize,
        sector: usize,
    ) -> (String, Option<String>, usize) {
        let t = &self.t;
        let rng = &mut self.rng;
        let c = &t.countries[country];
        let place = c.places.pick(rng);
        let (p, p_he) = (c.places.latin[place], c.places.he(place));
        let culture = &t.cultures[*rng.pick(&c.cultures)];
        let s = culture.family.pick(rng);
        let (s, s_he) = (culture.family.latin[s], culture.family.he(s));
        let f = t.fields.pick(rng);
        let (f, f_he) = (t.fields.latin[f], t.fields.he(f));
        let il = country == IL;
        let (name, he): (String, String) = match sector {
            ACADEMIA if il => match rng.below(7) {
                0 => (format!("University of {p}"), format!("אוניברסיטת {p_he}")),
                1 => (
                    format!("{p} Academic College"),
                    format!("המכללה האקדמית {p_he}"),
                ),
                2 => (
                    format!("{p} Institute of Technology"),
                    format!("המכון הטכנולוגי {p_he}"),
                ),
                3 => (
                    format!("{p} Institute of Science"),
                    format!("מכון {p_he} למדע"),
                ),
                4 => (
                    format!("{p} College of Engineering"),
                    format!("המכללה להנדסה {p_he}"),
                ),
                5 => (
                    format!("{s} Academic College"),
                    format!("המכללה האקדמית ע״ש {s_he}"),
                ),
                _ => (
                    format!("{s} Institute for Advanced Studies"),
                    format!("מכון {s_he} ללימודים מתקדמים"),
                ),
            },
            ACADEMIA => {
                let name = match rng.below(9) {
                    0 | 1 => format!("University of {p}"),
                    2 => format!("{p} Institute of Technology"),
                    3 if country == US => format!("{p} State University"),
                    3 => format!("Technical University of {p}"),
                    4 => format!("{p} Polytechnic Institute"),
                    5 => format!("{s} University"),
                    6 => format!("{s} College"),
                    7 => format!("{p} Institute of Science"),
                    _ => format!("{p} College of Engineering"),
                };
                (name, String::new())
            }
            GOVERNMENT => match rng.below(4) {
                0 => (
                    format!("National Center for {f}, {p}"),
                    format!("המרכז הלאומי ל{f_he}, {p_he}"),
                ),
                1 => (
                    format!("{p} National Laboratory"),
                    format!("המעבדה הלאומית {p_he}"),
                ),
                2 => (
                    format!("{f} Directorate, {p}"),
                    format!("מנהלת {f_he}, {p_he}"),
                ),
                _ => (
                    format!("Government Institute for {f} Research, {p}"),
                    format!("המכון הממשלתי לחקר {f_he}, {p_he}"),
                ),
            },
            NONPROFIT => match rng.below(4) {
                0 => (
                    format!("{p} Foundation for {f}"),
                    format!("קרן {p_he} ל{f_he}"),
                ),
                1 => (
                    format!("{s} Institute for {f}"),
                    format!("מכון {s_he} ל{f_he}"),
                ),
                2 => (
                    format!("Society for {f}, {p}"),
                    format!("האגודה ל{f_he}, {p_he}"),
                ),
                _ => (
                    format!("{p} Center for {f} Policy"),
                    format!("המרכז למדיניות {f_he}, {p_he}"),
                ),
            },
            _ => {
                let w = t.industry.pick(rng);
                let (w, w_he) = (t.industry.latin[w], t.industry.he(w));
                if il && rng.chance(0.5) {
                    let b = t.brand_he.pick(rng);
                    let (b, b_he) = (t.brand_he.latin[b], t.brand_he.he(b));
                    (format!("{b} {w} Ltd."), format!("{b_he} {w_he} בע״מ"))
                } else {
                    let stem = t.brands.pick(rng);
                    let end = *rng.pick(BRAND_ENDINGS);
                    let brand = format!("{}{end}", t.brands.latin[stem]);
                    (format!("{brand} {w} {}", c.legal), String::new())
                }
            }
        };
        let he = (il && !he.is_empty()).then_some(he);
        (name, he, place)
    }

    fn plan_person(&mut self, _i: u32) {
        let group = [US, IL, 2][self.rng.weighted(&[42, 40, 18])];
        let home = self.pick_home(group);
        let group = home.map_or(group, |h| group_of(self.institutions[h as usize].country));
        let id = self.id();
        self.persons.push(Person {
            id,
            home,
            group: group as u8,
        });
    }

    /// A home institution in the group: mostly academia, a few big ones holding many people.
    fn pick_home(&mut self, group: usize) -> Option<u32> {
        if self.rng.chance(0.01) {
            return None;
        }
        let group = if self.by_group[group].iter().all(Vec::is_empty) {
            US
        } else {
            group
        };
        let mut sector = self.rng.weighted(&[72, 10, 14, 4]);
        while self.by_group[group][sector].is_empty() {
            sector = (sector + 1) % 4;
        }
        let list = &self.by_group[group][sector];
        let i = self.rng.skewed(list.len(), 1.8);
        Some(list[i])
    }

    fn pick_institution(&mut self, group: usize, sectors: [u32; 4]) -> u32 {
        let group = if self.by_group[group].iter().all(Vec::is_empty) {
            US
        } else {
            group
        };
        let mut sector = self.rng.weighted(&sectors);
        while self.by_group[group][sector].is_empty() {
            sector = (sector + 1) % 4;
        }
        let list = &self.by_group[group][sector];
        list[self.rng.skewed(list.len(), 1.5)]
    }

    fn plan_program(&mut self, i: usize, n_cohorts: usize) {
        let national = i == 0;
        let kind = match i {
            0 => 0,
            1..=4 => i % 4,
            _ => self.rng.weighted(&[30, 30, 25, 15]),
        };
        let mut areas: Vec<usize> = vec![match i {
            0 => 0,
            1..=7 => i - 1,
            _ => self.rng.weighted(&[30, 18, 15, 12, 10, 10, 5]),
        }];
        let extra = if national {
            3
        } else {
            self.rng.weighted(&[50, 40, 10])
        };
        for _ in 0..extra {
            let a = if national {
                areas.len()
            } else {
                self.rng.below(TECH_AREA_NAMES.len())
            };
            if !areas.contains(&a) {
                areas.push(a);
            }
        }
        // The first program after the national intake is sensitive, so every dataset has
        // one; the others are by chance, more often in the areas of research security.
        let sensitive = i == 1
            || (!national
                && self
                    .rng
                    .chance([0.35, 0.35, 0.35, 0.15, 0.35, 0.3, 0.1][areas[0]]));
        let topics = &self.t.topics[areas[0]];
        let topic = topics.latin[topics.pick(&mut self.rng)];
        let name = if national {
            "National Critical Technologies Talent Intake".to_owned()
        } else {
            let prefix = *self.rng.pick(&[
                "US–Israel ",
                "US–Israel ",
                "US–Israel ",
                "Binational ",
                "Binational ",
                "Allied ",
                "Trilateral ",
                "",
                "",
            ]);
            let label = *self.rng.pick(KIND_LABELS[kind]);
            let mut name = format!("{prefix}{topic} {label}");
            let mut n = 2;
            while !self
                .taken
                .insert(format!("program:{}", name.to_lowercase()))
            {
                name = format!("{prefix}{topic} {label} {}", roman(n));
                n += 1;
            }
            name
        };
        let id = self.id();

        // Cohorts: one intake a year (fall, spring or summer) or two (spring and fall).
        let n = n_cohorts;
        let semiannual = n > 6 || self.rng.chance(0.4);
        let span = if semiannual { n.div_ceil(2) } else { n } as i32;
        let last_year = if national {
            2027
        } else {
            self.rng.between(2024, 2028) as i32
        };
        let first_year = last_year - span + 1;
        let season = self.rng.weighted(&[50, 20, 30]); // fall, spring, summer
        let mut schedule = Vec::with_capacity(n);
        for k in 0..n {
            let (year, season) = if semiannual {
                (first_year + (k / 2) as i32, [1, 0][k % 2])
            } else {
                (first_year + k as i32, season)
            };
            schedule.push((year, season));
        }
        let archived = !national
            && last_year < 2025
            && schedule.iter().all(|(y, _)| *y < 2024)
            && self.rng.chance(0.4);

        let mut rec = Map::new();
        rec.insert("id".into(), id.clone().into());
        rec.insert("name".into(), name.into());
        rec.insert("kind".into(), PROGRAM_KIND_NAMES[kind].into());
        rec.insert(
            "tech_areas".into(),
            areas
                .iter()
                .map(|a| TECH_AREA_NAMES[*a])
                .collect::<Vec<_>>()
                .into(),
        );
        rec.insert("sensitive".into(), sensitive.into());
        let partners = self.partners(kind);
        rec.insert("partner_institution_ids".into(), partners.into());
        if national || self.rng.chance(0.85) {
            let funder = if national {
                "U.S.–Israel Binational Science Foundation"
            } else if self.rng.chance(0.5) {
                *self.rng.pick(AREA_FUNDERS[areas[0]])
            } else {
                *self.rng.pick(FUNDERS)
            };
            rec.insert("funder".into(), funder.into());
        }
        if national || self.rng.chance(0.6) {
            let label = KIND_LABELS[kind][0].to_lowercase();
            let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "An"
            } else {
                "A"
            };
            rec.insert(
                "description".into(),
                format!(
                    "{article} {label} in {} between partner institutions in the United States, \
                     Israel and allied countries.",
                    topic.to_lowercase()
                )
                .into(),
            );
        }
        if archived {
            rec.insert("archived".into(), true.into());
        }
        let program = self.programs.len() as u32;
        self.programs.push(Program {
            id,
            kind,
            sensitive,
            topic,
            record: rec,
        });
        for (year, season) in schedule {
            self.plan_cohort(program, year, season, national, archived);
        }
    }

    /// Partner institutions: one in each partner country and a few more; a collaborative
    /// project mixes academia, government and industry.
    fn partners(&mut self, kind: usize) -> Vec<String> {
        let mut picks = vec![
            self.pick_institution(US, [70, 15, 10, 5]),
            self.pick_institution(IL, [70, 15, 10, 5]),
        ];
        if kind == 3 {
            for sectors in [[0, 1, 0, 0], [0, 0, 1, 0]] {
                let group = self.rng.below(2);
                picks.push(self.pick_institution(group, sectors));
            }
        }
        for _ in 0..self.rng.weighted(&[40, 30, 20, 10]) {
            let group = self.rng.weighted(&[40, 40, 20]);
            picks.push(self.pick_institution(group, [50, 20, 20, 10]));
        }
        let mut out: Vec<u32> = Vec::new();
        for p in picks {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out.iter()
            .map(|&p| self.institutions[p as usize].id.clone())
            .collect()
    }

    fn plan_cohort(
        &mut self,
        program: u32,
        year: i32,
        season: usize,
        national: bool,
        archived: bool,
    ) {
        let kind = self.programs[program as usize].kind;
        let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let (start, end) = if national {
            (date(2027, 1, 10), date(2027, 12, 20))
        } else {
            // (month, day) of start and end, and whether the end falls in the next year.
            let ((sm, sd), (em, ed), next) = match (kind, season) {
                (0, 0) => ((10, 15), (12, 15), false),
                (0, 1) => ((3, 1), (4, 30), false),
                (0, _) => ((7, 1), (8, 15), false),
                (3, 0) => ((9, 1), (8, 31), true),
                (3, 1) => ((2, 1), (1, 31), true),
                (3, _) => ((6, 1), (5, 31), true),
                (_, 0) => ((9, 1), (6, 30), true),
                (_, 1) => ((2, 1), (7, 31), false),
                _ => ((6, 15), (8, 31), false),
            };
            let shift = Duration::days(self.rng.between(0, 14));
            (
                date(year, sm, sd) + shift,
                date(year + i32::from(next), em, ed),
            )
        };
        let phase = if national {
            Phase::National
        } else if end < self.reference {
            Phase::Past
        } else if start <= self.reference {
            Phase::Current
        } else {
            Phase::Future
        };
        let host_group = if national {
            US
        } else {
            [US, IL, 2][self.rng.weighted(&[45, 45, 10])]
        };
        let host = if national {
            self.by_group[US][GOVERNMENT][0]
        } else {
            self.pick_institution(host_group, [75, 12, 9, 4])
        };
        let city = self.institutions[host as usize].city;
        let season_name = ["Fall", "Spring", "Summer"][season];
        let name = if national {
            "National Intake 2027".to_owned()
        } else {
            match city {
                Some(city) if self.rng.chance(0.5) => format!("{season_name} {year} · {city}"),
                _ => format!("{season_name} {year}"),
            }
        };
        let id = self.id();
        let mut rec = Map::new();
        rec.insert("id".into(), id.clone().into());
        rec.insert(
            "program_id".into(),
            self.programs[program as usize].id.clone().into(),
        );
        rec.insert("name".into(), name.into());
        rec.insert("start_date".into(), start.to_string().into());
        rec.insert("end_date".into(), end.to_string().into());
        rec.insert(
            "host_institution_id".into(),
            self.institutions[host as usize].id.clone().into(),
        );
        if let Some(city) = city {
            rec.insert("location".into(), city.into());
        }
        if archived || (end.year() < 2022 && self.rng.chance(0.3)) {
            rec.insert("archived".into(), true.into());
        }
        self.cohorts.push(Cohort {
            id,
            program,
            host,
            start,
            end,
            phase,
            record: rec,
        });
    }

    /// Who is placed where, in what status and role. People are drawn from three shuffled
    /// pools (US, Israel, elsewhere), mostly across the border from the host, each pool
    /// read as a ring so everyone takes part about twice and nobody twice in one cohort.
    fn plan_placements(&mut self) {
        let mut pools: Vec<Vec<u32>> = vec![vec![]; GROUPS];
        for (i, p) in self.persons.iter().enumerate() {
            pools[p.group as usize].push(i as u32);
        }
        for pool in &mut pools {
            self.rng.shuffle(pool);
        }
        let mut cursors = [0usize; GROUPS];
        let total = 2 * self.people as usize;
        let national = (self.people as usize / 20).max(1);
        let rest = total.saturating_sub(national);
        let others = self.cohorts.len() - 1;
        let weights: Vec<f64> = (0..others)
            .map(|_| {
                let u = self.rng.unit();
                0.25 + 1.5 * u + 3.0 * u.powi(4)
            })
            .collect();
        let sum: f64 = weights.iter().sum();
        let mut sizes: Vec<usize> = std::iter::once(national)
            .chain(weights.iter().map(|w| (w / sum * rest as f64) as usize))
            .collect();
        let mut short = total.saturating_sub(sizes.iter().sum());
        while short > 0 && others > 0 {
            sizes[1 + self.rng.below(others)] += 1;
            short -= 1;
        }

        for (c, &size) in sizes.iter().enumerate() {
            let cohort = &self.cohorts[c];
            let host_group = group_of(self.institutions[cohort.host as usize].country);
            let mix: [u32; 3] = match (cohort.phase, host_group) {
                (Phase::National, _) => [45, 45, 10],
                (_, US) => [18, 62, 20],
                (_, IL) => [62, 18, 20],
                _ => [45, 45, 10],
            };
            let mut want = [0usize; GROUPS];
            for _ in 0..size {
                want[self.rng.weighted(&mix)] += 1;
            }
            let phase = cohort.phase as usize;
            let start = cohort.start;
            let mut chosen: Vec<u32> = Vec::with_capacity(size);
            for g in 0..GROUPS {
                let pool = &mut pools[g];
                let take = want[g].min(pool.len());
                if take == 0 {
                    continue;
                }
                if cursors[g] + take > pool.len() {
                    self.rng.shuffle(pool);
                    cursors[g] = 0;
                }
                chosen.extend_from_slice(&pool[cursors[g]..cursors[g] + take]);
                cursors[g] += take;
            }
            self.rng.shuffle(&mut chosen);
            for person in chosen {
                let status = self.rng.weighted(&STATUS_WEIGHTS[phase]) as u8;
                let role = if phase == Phase::National as usize {
                    0
                } else {
                    self.rng.weighted(&[88, 8, 4]) as u8
                };
                let id = self.id();
                self.placements.push(Placement {
                    id,
                    person,
                    cohort: c as u32,
                    status,
                    role,
                    start,
                });
            }
        }
        // Capacity: four cohorts in ten have one, some of them exactly full. The national
        // intake has none.
        let mut taking = vec![0i64; self.cohorts.len()];
        for p in &self.placements {
            if p.status < WITHDRAWN {
                taking[p.cohort as usize] += 1;
            }
        }
        for (c, cohort) in self.cohorts.iter_mut().enumerate().skip(1) {
            if self.rng.chance(0.4) {
                let used = taking[c];
                let capacity = if self.rng.chance(0.25) {
                    used
                } else {
                    used + 1 + self.rng.below(used as usize / 5 + 1) as i64
                };
                cohort
                    .record
                    .insert("capacity".into(), capacity.max(1).into());
            }
        }
    }

    /// Fellowships: most attached to an accepted-or-later participant's placement (at most
    /// one each), the rest to a person alone.
    fn plan_fellowships(&mut self) {
        let n = (self.people as usize / 4).max(1);
        let attached = n * 85 / 100;
        let mut candidates: Vec<u32> = self
            .placements
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role == 0 && (2..=5).contains(&p.status))
            .map(|(i, _)| i as u32)
            .collect();
        // A partial shuffle: the first `attached` entries are a random sample.
        let take = attached.min(candidates.len());
        for i in 0..take {
            let j = i + self.rng.below(candidates.len() - i);
            candidates.swap(i, j);
        }
        let mut chosen = candidates[..take].to_vec();
        chosen.sort_unstable();
        for placement in chosen {
            let person = self.placements[placement as usize].person;
            self.fellowships.push(Fellowship {
                person,
                placement: Some(placement),
            });
        }
        for _ in take..n {
            let person = self.rng.below(self.persons.len()) as u32;
            self.fellowships.push(Fellowship {
                person,
                placement: None,
            });
        }
    }

    // -------------------------------------------------------------- writing

    fn write(
        &mut self,
        db: &mut Db,
        progress: &mut dyn FnMut(Progress) -> bool,
    ) -> Result<GenSummary> {
        let total = self.institutions.len()
            + self.persons.len()
            + self.programs.len()
            + self.cohorts.len()
            + self.placements.len()
            + self.fellowships.len()
            + self.agreements;
        let mut w = Writer {
            db,
            progress,
            done: 0,
            total: total as u32,
            step: (total as u32 / 100).max(1),
        };
        if !(w.progress)(Progress {
            done: 0,
            total: w.total,
        }) {
            return Err(cancelled());
        }
        // Records are made and parsed on a second thread while this one checks and writes
        // them, handed over in batches: the generator never reads the database, so the
        // data stays the same.
        type Batch = Vec<(Entity, Result<Record>)>;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(8);
        let plan = &mut *self;
        let agreements = std::thread::scope(|scope| -> Result<u32> {
            let producer = scope.spawn(move || {
                let mut batch: Batch = Vec::with_capacity(BATCH);
                let made = plan.produce(&mut |entity, rec| {
                    batch.push((entity, parse_input(entity, &Value::Object(rec), None)));
                    batch.len() < BATCH
                        || sender
                            .send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
                            .is_ok()
                });
                // The last, partial batch (a failed send above only means the writer
                // stopped; it reports why).
                let _ = sender.send(batch);
                made
            });
            for batch in receiver.iter() {
                for (entity, parsed) in batch {
                    w.add(entity, parsed?)?;
                }
            }
            producer
                .join()
                .map_err(|_| Error::Damaged(msg!(GEN_STOPPED)))
        })?;
        (w.progress)(Progress {
            done: w.total,
            total: w.total,
        });
        let national = &self.cohorts[0];
        Ok(GenSummary {
            seed: self.seed,
            people: self.persons.len() as u32,
            institutions: self.institutions.len() as u32,
            programs: self.programs.len() as u32,
            cohorts: self.cohorts.len() as u32,
            placements: self.placements.len() as u32,
            fellowships: self.fellowships.len() as u32,
            agreements,
            national_cohort_id: national.id.clone(),
            national_cohort_name: national.record["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            national_placements: self.placements.iter().filter(|p| p.cohort == 0).count() as u32,
        })
    }

    /// Every record in the order it is written (references point backwards); stops when
    /// `out` returns false. Returns how many agreements were made.
    fn produce(&mut self, out: &mut dyn FnMut(Entity, Map<String, Value>) -> bool) -> u32 {
        for i in 0..self.institutions.len() {
            if !out(Entity::Institution, self.institutions[i].record.clone()) {
                return 0;
            }
        }
        for i in 0..self.persons.len() {
            let rec = self.person_record(i);
            if !out(Entity::Person, rec) {
                return 0;
            }
        }
        for i in 0..self.programs.len() {
            if !out(Entity::Program, self.programs[i].record.clone()) {
                return 0;
            }
        }
        for i in 0..self.cohorts.len() {
            if !out(Entity::Cohort, self.cohorts[i].record.clone()) {
                return 0;
            }
        }
        for i in 0..self.placements.len() {
            let rec = self.placement_record(i);
            if !out(Entity::Placement, rec) {
                return 0;
            }
        }
        for i in 0..self.fellowships.len() {
            let rec = self.fellowship_record(i);
            if !out(Entity::Fellowship, rec) {
                return 0;
            }
        }
        let mut agreements = 0;
        for _ in 0..self.agreements {
            if let Some(rec) = self.agreement_record() {
                if !out(Entity::Agreement, rec) {
                    return agreements;
                }
                agreements += 1;
            }
        }
        agreements
    }

    fn person_record(&mut self, i: usize) -> Map<String, Value> {
        let (id, home, group) = {
            let p = &self.persons[i];
            (p.id.clone(), p.home, p.group as usize)
        };
        let country = match home {
            Some(h) => self.institutions[h as usize].country,
            None => [US, IL, 2 + self.rng.below(self.t.countries.len() - 2)][group],
        };
        let academic = home.is_some_and(|h| self.institutions[h as usize].sector == ACADEMIA);
        let orcid = self
            .rng
            .chance(if academic { 0.45 } else { 0.05 })
            .then(|| self.orcid());
        let t = &self.t;
        let rng = &mut self.rng;
        let c = &t.countries[country];
        // Israeli-Americans: a few US-based people carry Hebrew names too.
        let culture_index = if country == US && rng.chance(0.03) {
            t.countries[IL].cultures[0]
        } else {
            *rng.pick(&c.cultures)
        };
        let culture = &t.cultures[culture_index];
        let g = culture.given.pick(rng);
        let f = culture.family.pick(rng);
        let double = rng.chance(0.03) && culture.family.len() > 1;
        let has_he = culture.given.hebrew[g].is_some() && culture.family.hebrew[f].is_some();
        let (latin, hebrew) = if !has_he {
            (true, false)
        } else {
            match rng.weighted(&[80, 12, 8]) {
                0 => (true, true),
                1 => (false, true),
                _ => (true, false),
            }
        };
        let mut rec = Map::new();
        rec.insert("id".into(), id.into());
        let given = culture.given.latin[g];
        let mut family = culture.family.latin[f].to_owned();
        let mut family_he = culture.family.he(f).to_owned();
        if double {
            let f2 = culture.family.pick(rng);
            if f2 != f {
                family = format!("{family}-{}", culture.family.latin[f2]);
                family_he = format!("{family_he}-{}", culture.family.he(f2));
            }
        }
        if latin {
            rec.insert("given_name".into(), given.into());
            rec.insert("family_name".into(), family.clone().into());
        }
        if hebrew {
            rec.insert("given_name_he".into(), culture.given.he(g).into());
            rec.insert("family_name_he".into(), family_he.into());
        }
        // E-mail: at the home institution mostly, unique, from the Latin name.
        if rng.chance(0.93) {
            let domain = match home {
                Some(h) if rng.chance(0.9) => self.institutions[h as usize].domain.as_str(),
                _ => *rng.pick(&["gmail.com", "outlook.com", "proton.me", "yahoo.com"]),
            };
            let (gs, fs) = (ascii_slug(given), ascii_slug(&family));
            let local = match rng.weighted(&[60, 25, 15]) {
                0 => format!("{gs}.{fs}"),
                1 => format!("{}{fs}", gs.chars().next().unwrap_or('x')),
                _ => format!("{fs}.{gs}"),
            };
            let mut email = format!("{local}@{domain}");
            let mut n = 2;
            while !self.taken.insert(email.clone()) {
                email = format!("{local}{n}@{domain}");
                n += 1;
            }
            rec.insert("email".into(), email.into());
        }
        if let Some(orcid) = orcid {
            rec.insert("orcid".into(), orcid.into());
        }
        if rng.chance(0.75) {
            let birth = NaiveDate::from_ymd_opt(1955, 1, 1).unwrap_or_default()
                + Duration::days(rng.between(0, 48 * 365));
            rec.insert("birth_date".into(), birth.to_string().into());
        }
        if rng.chance(0.9) {
            let mut citizenships = vec![c.code];
            if rng.chance(0.08) {
                let other = match country {
                    US => "IL",
                    IL => "US",
                    _ => *rng.pick(&["US", "IL", "GB", "FR", "DE", "CA"]),
                };
                if other != c.code {
                    citizenships.push(other);
                }
            }
            rec.insert("citizenships".into(), citizenships.into());
        }
        if rng.chance(0.4) {
            let digits = |rng: &mut Rng, n: usize| -> String {
                (0..n)
                    .map(|_| char::from(b'0' + rng.below(10) as u8))
                    .collect()
            };
            let phone = match country {
                US => format!(
                    "+1 ({}) {}-{}",
                    200 + rng.below(800),
                    digits(rng, 3),
                    digits(rng, 4)
                ),
                IL => format!(
                    "+972 5{}-{}-{}",
                    rng.below(9),
                    digits(rng, 3),
                    digits(rng, 4)
                ),
                _ => format!("+{} {} {}", c.phone, digits(rng, 3), digits(rng, 6)),
            };
            rec.insert("phone".into(), phone.into());
        }
        if let Some(h) = home {
            rec.insert(
                "home_institution_id".into(),
                self.institutions[h as usize].id.clone().into(),
            );
        }
        if rng.chance(0.03) {
            rec.insert("notes".into(), (*rng.pick(PERSON_NOTES)).into());
        }
        rec
    }

    /// A unique ORCID iD in the range ORCID issues, with its ISO 7064 11,2 check digit.
    fn orcid(&mut self) -> String {
        loop {
            let n = 15_000_000 + self.rng.below(20_000_000) as u64;
            let digits = format!("{n:015}");
            let mut total: u32 = 0;
            for c in digits.chars() {
                total = (total + c.to_digit(10).unwrap_or(0)) * 2;
            }
            let check = (12 - total % 11) % 11;
            let check = if check == 10 {
                'X'
            } else {
                char::from(b'0' + check as u8)
            };
            let orcid = format!(
                "{}-{}-{}-{}{check}",
                &digits[0..4],
                &digits[4..8],
                &digits[8..12],
                &digits[12..15]
            );
            if self.ids.insert(orcid.clone()) {
                return orcid;
            }
        }
    }

    fn placement_record(&mut self, i: usize) -> Map<String, Value> {
        let p = &self.placements[i];
        let person = &self.persons[p.person as usize];
        let cohort = &self.cohorts[p.cohort as usize];
        let program = &self.programs[cohort.program as usize];
        let home_country = person.home.map(|h| self.institutions[h as usize].country);
        let host_country = self.institutions[cohort.host as usize].country;
        let (status, role, sensitive) = (p.status, p.role as usize, program.sensitive);
        let (start, end) = (cohort.start, cohort.end);
        let mut rec = Map::new();
        rec.insert("id".into(), p.id.clone().into());
        rec.insert("person_id".into(), person.id.clone().into());
        rec.insert("cohort_id".into(), cohort.id.clone().into());
        let host_group = group_of(host_country);
        let rng = &mut self.rng;
        // The home institution is mostly given; otherwise core takes the person's.
        if let Some(home) = person.home.filter(|_| rng.chance(0.9)) {
            rec.insert(
                "home_institution_id".into(),
                self.institutions[home as usize].id.clone().into(),
            );
        }
        if role != 0 || rng.chance(0.3) {
            rec.insert("role".into(), ROLES[role].into());
        }
        rec.insert("status".into(), STATUSES[status as usize].into());
        if sensitive {
            let screening = if (CONFIRMED..WITHDRAWN).contains(&status) {
                "cleared"
            } else if status >= WITHDRAWN {
                ["pending", "cleared", "flagged"][rng.weighted(&[40, 30, 30])]
            } else {
                ["pending", "cleared", "flagged"][rng.weighted(&[55, 35, 10])]
            };
            if screening != "pending" || rng.chance(0.5) {
                rec.insert("screening".into(), screening.into());
            }
        }
        // A late arrival now and then; otherwise the cohort's dates by default.
        let mut arrive = start;
        if rng.chance(0.08) {
            let late = start + Duration::days(rng.between(7, 45));
            if late <= end {
                arrive = late;
                rec.insert("start_date".into(), late.to_string().into());
            }
        }
        let abroad = home_country.is_some_and(|h| h != host_country);
        if abroad && role != 2 && rng.chance(0.85) {
            let visa = match host_group {
                US => ["J-1", "F-1", "B/1", "other"][rng.weighted(&[65, 20, 5, 10])],
                IL => ["A/2", "B/1", "other"][rng.weighted(&[45, 35, 20])],
                _ => "other",
            };
            rec.insert("visa_type".into(), visa.into());
            let expires = if rng.chance(0.05) {
                end - Duration::days(rng.between(10, 60))
            } else {
                end + Duration::days(rng.between(30, 120))
            };
            rec.insert("visa_expires".into(), expires.to_string().into());
        }
        if rng.chance(0.45) {
            let mut kinds: Vec<&str> = vec!["insurance", "agreement_signed"];
            if abroad {
                kinds.extend(["visa", "housing"]);
            }
            if sensitive {
                kinds.push("screening");
            }
            if rng.chance(0.1) {
                kinds.push("other");
            }
            let weights: [u32; 3] = match status {
                0..=2 => [60, 30, 10],
                3 => [15, 35, 50],
                4 | 5 => [2, 8, 90],
                _ => [50, 30, 20],
            };
            let mut items: Vec<Value> = Vec::new();
            for kind in kinds {
                if rng.chance(0.2) {
                    continue;
                }
                items.push({
                    let mut item = Map::new();
                    item.insert("kind".into(), kind.into());
                    item.insert(
                        "status".into(),
                        ["missing", "submitted", "verified"][rng.weighted(&weights)].into(),
                    );
                    let due = arrive - Duration::days(rng.between(7, 60));
                    item.insert("due_date".into(), due.to_string().into());
                    Value::Object(item)
                });
            }
            rec.insert("checklist".into(), items.into());
        }
        if rng.chance(0.03) {
            rec.insert("notes".into(), (*rng.pick(PLACEMENT_NOTES)).into());
        }
        rec
    }

    fn fellowship_record(&mut self, i: usize) -> Map<String, Value> {
        let id = self.id();
        let f = &self.fellowships[i];
        let person = &self.persons[f.person as usize];
        let mut rec = Map::new();
        rec.insert("id".into(), id.into());
        rec.insert("person_id".into(), person.id.clone().into());
        let (start, end, host_group, topic) = match f.placement {
            Some(p) => {
                let p = &self.placements[p as usize];
                let cohort = &self.cohorts[p.cohort as usize];
                rec.insert("placement_id".into(), p.id.clone().into());
                (
                    p.start,
                    cohort.end,
                    group_of(self.institutions[cohort.host as usize].country),
                    Some(self.programs[cohort.program as usize].topic),
                )
            }
            None => {
                let start = NaiveDate::from_ymd_opt(2019, 9, 1).unwrap_or_default()
                    + Duration::days(self.rng.between(0, 8 * 365));
                (
                    start,
                    start + Duration::days(365),
                    person.group as usize,
                    None,
                )
            }
        };
        let rng = &mut self.rng;
        let title = *rng.pick(FELLOWSHIP_TITLES);
        let title = match topic {
            Some(topic) if rng.chance(0.5) => format!("{title} in {topic}"),
            _ => title.to_owned(),
        };
        rec.insert("title".into(), title.into());
        let ils = host_group == IL && rng.chance(0.85);
        let (currency, award) = if ils {
            ("ILS", rng.between(20, 200) * 1_000 * 100)
        } else {
            ("USD", rng.between(10, 120) * 500 * 100)
        };
        rec.insert("award_minor".into(), award.into());
        rec.insert("currency".into(), currency.into());
        let n = 1 + rng.weighted(&[20, 35, 25, 20]) as i64;
        let budget = if rng.chance(0.8) {
            award
        } else {
            award * rng.between(60, 95) / 100
        };
        // Whole dollars or shekels per tranche; the last one takes the rest.
        let share = budget / n / 100 * 100;
        let span = (end - start).num_days().max(30);
        let tranches: Vec<Value> = (0..n)
            .map(|k| {
                let amount = if k == n - 1 {
                    budget - share * (n - 1)
                } else {
                    share
                };
                let due = start + Duration::days(span * k / n);
                let mut t = Map::new();
                t.insert("due_date".into(), due.to_string().into());
                t.insert("amount_minor".into(), amount.into());
                if due < self.reference {
                    if rng.chance(0.92) {
                        t.insert("status".into(), "paid".into());
                        let paid = (due + Duration::days(rng.between(0, 14))).min(self.reference);
                        t.insert("paid_on".into(), paid.to_string().into());
                    } else {
                        t.insert("status".into(), "held".into());
                    }
                } else if rng.chance(0.05) {
                    t.insert("status".into(), "held".into());
                } else if rng.chance(0.5) {
                    t.insert("status".into(), "scheduled".into());
                }
                Value::Object(t)
            })
            .collect();
        rec.insert("tranches".into(), tranches.into());
        let reports = rng.weighted(&[15, 35, 35, 15]);
        let schedule = [
            ("Interim report", start + Duration::days(span / 2)),
            ("Final report", end + Duration::days(30)),
            ("Financial report", end + Duration::days(60)),
        ];
        let reports: Vec<Value> = schedule[..reports]
            .iter()
            .map(|(title, due)| {
                let mut r = Map::new();
                r.insert("title".into(), (*title).into());
                r.insert("due_date".into(), due.to_string().into());
                if *due < self.reference && rng.chance(0.85) {
                    let on = (*due + Duration::days(rng.between(-10, 20))).min(self.reference);
                    r.insert("submitted_on".into(), on.to_string().into());
                }
                Value::Object(r)
            })
            .collect();
        rec.insert("reports".into(), reports.into());
        rec
    }

    /// An agreement between the institutions of a real cross-border placement (so its
    /// quotas are used), sometimes with a third party.
    fn agreement_record(&mut self) -> Option<Map<String, Value>> {
        let mut pick = None;
        for _ in 0..200 {
            if self.placements.is_empty() {
                break;
            }
            let p = &self.placements[self.rng.below(self.placements.len())];
            let Some(home) = self.persons[p.person as usize].home else {
                continue;
            };
            let host = self.cohorts[p.cohort as usize].host;
            let (hc, gc) = (
                self.institutions[home as usize].country,
                self.institutions[host as usize].country,
            );
            let us_il = (hc == US && gc == IL) || (hc == IL && gc == US);
            if hc != gc && (us_il || self.rng.chance(0.15)) {
                pick = Some((home, host, p.start));
                break;
            }
        }
        let (home, host, start) = pick?;
        let id = self.id();
        let mut parties = vec![home, host];
        if self.rng.chance(0.2) {
            let group = self.rng.below(2);
            let third = self.pick_institution(group, [70, 15, 10, 5]);
            if !parties.contains(&third) {
                parties.push(third);
            }
        }
        let a = &self.institutions[home as usize];
        let b = &self.institutions[host as usize];
        let title = match self.rng.below(3) {
            0 => format!("Memorandum of Understanding: {} and {}", a.name, b.name),
            1 => format!(
                "Student and Faculty Exchange Agreement: {} – {}",
                a.name, b.name
            ),
            _ => format!("Research Collaboration Agreement {} / {}", a.name, b.name),
        };
        let title: String = title.chars().take(200).collect();
        let year = academic_year(start) - self.rng.between(0, 2) as i32;
        let years = self.rng.between(3, 5) as i32;
        let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        let forward = format!(
            "{}->{}",
            self.t.countries[a.country].code, self.t.countries[b.country].code
        );
        let back = format!(
            "{}->{}",
            self.t.countries[b.country].code, self.t.countries[a.country].code
        );
        let mut quotas = Vec::new();
        for y in year..(year + years).min(year + 4) {
            for dir in [&forward, &back] {
                if dir == &back && self.rng.chance(0.2) {
                    continue;
                }
                let mut q = Map::new();
                q.insert(
                    "academic_year".into(),
                    format!("{y}/{:02}", (y + 1) % 100).into(),
                );
                q.insert("direction".into(), dir.clone().into());
                q.insert("places".into(), self.rng.between(2, 30).into());
                quotas.push(Value::Object(q));
            }
        }
        let mut rec = Map::new();
        rec.insert("id".into(), id.into());
        rec.insert("title".into(), title.into());
        rec.insert(
            "institution_ids".into(),
            parties
                .iter()
                .map(|&p| self.institutions[p as usize].id.clone())
                .collect::<Vec<_>>()
                .into(),
        );
        rec.insert("valid_from".into(), date(year, 8, 1).to_string().into());
        rec.insert(
            "valid_to".into(),
            date(year + years, 7, 31).to_string().into(),
        );
        rec.insert("quotas".into(), quotas.into());
        Some(rec)
    }
}

/// The academic year (1 August to 31 July) a day falls in, by its first calendar year.
fn academic_year(d: NaiveDate) -> i32 {
    if d.month() >= 8 {
        d.year()
    } else {
        d.year() - 1
    }
}

/// Writes records through [`Db::add`] and reports progress.
struct Writer<'a> {
    db: &'a mut Db,
    progress: &'a mut dyn FnMut(Progress) -> bool,
    done: u32,
    total: u32,
    step: u32,
}

impl Writer<'_> {
    fn add(&mut self, entity: Entity, rec: Record) -> Result<()> {
        let id = rec
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        if let Err(e) = self.db.insert_parsed(entity, rec, WriteOptions::default()) {
            return Err(with_context(e, &format!("generated {entity} {id}")));
        }
        self.done += 1;
        if self.done.is_multiple_of(self.step)
            && !(self.progress)(Progress {
                done: self.done,
                total: self.total,
            })
        {
            return Err(cancelled());
        }
        Ok(())
    }
}

fn cancelled() -> Error {
    Error::refused("", msg!(GEN_CANCELLED))
}

/// A refused or invalid generated record is a bug of the generator: say which record.
fn with_context(e: Error, what: &str) -> Error {
    match e {
        Error::Invalid(mut problems) => {
            for p in &mut problems {
                p.message = format!("{} ({what})", p.message);
            }
            Error::Invalid(problems)
        }
        Error::Refused(mut p) => {
            p.message = format!("{} ({what})", p.message);
            Error::Refused(p)
        }
        other => other,
    }
}

/// Lower-case ASCII letters and digits of a name (accents dropped): for e-mail addresses.
fn ascii_slug(s: &str) -> String {
    values::fold(s)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect()
}

/// A domain name for an institution: the place and brand words in full, other words by
/// their initials ("University of Haifa" → "uhaifa", "Ofek Systems Ltd." → "ofeksystems").
fn slug(name: &str, place: &str, sector: usize) -> String {
    const SKIP: &[&str] = &[
        "of", "for", "the", "and", "at", "in", "ltd", "inc", "corp", "llc", "gmbh", "kk", "plc",
        "sas", "pvt", "co", "ag", "bv", "ab", "as", "oy", "spa", "sa", "srl", "pty", "pte",
    ];
    let place = ascii_slug(place);
    let mut out = String::new();
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        let w = ascii_slug(word);
        if w.is_empty() || SKIP.contains(&w.as_str()) {
            continue;
        }
        if sector == INDUSTRY || place.contains(&w) {
            out.push_str(&w);
        } else {
            out.extend(w.chars().next());
        }
    }
    if out.len() < 4 {
        out.push_str(&place);
    }
    out.truncate(30);
    out
}

/// A Roman numeral (programs of the same name are numbered II, III, …).
fn roman(mut n: usize) -> String {
    const DIGITS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

// ------------------------------------------------------------------ data

const PROGRAM_KIND_NAMES: [&str; 4] = [
    "joint_training",
    "academic_exchange",
    "fellowship",
    "collaborative_project",
];
const TECH_AREA_NAMES: [&str; 7] = [
    "ai",
    "advanced_computing",
    "semiconductors",
    "energy",
    "space",
    "robotics",
    "other",
];

const KIND_LABELS: [&[&str]; 4] = [
    &[
        "Joint Training Program",
        "Training Academy",
        "Bootcamp",
        "Summer School",
    ],
    &[
        "Academic Exchange",
        "Visiting Scholars Program",
        "Student Exchange",
        "Faculty Exchange",
    ],
    &[
        "Fellowship",
        "Fellows Program",
        "Postdoctoral Fellowship",
        "Doctoral Fellowship",
    ],
    &[
        "Collaborative Project",
        "Research Consortium",
        "Joint Research Initiative",
        "Innovation Partnership",
    ],
];

/// Topics by technology area (order of [`TECH_AREA_NAMES`]).
const TOPICS: [&str; 7] = [
    "Machine Learning, AI Safety, Natural Language Processing, Computer Vision, Trustworthy AI, \
     AI for Health, Reinforcement Learning, Hebrew and Arabic Language Models, AI for Science, \
     Federated Learning, AI Assurance, Multimodal Models",
    "Quantum Computing, High-Performance Computing, Quantum Sensing, Post-Quantum Cryptography, \
     Cloud Systems, Quantum Networks, Exascale Software, Neuromorphic Computing",
    "Chip Design, Photonics, Advanced Packaging, Nanofabrication, EDA Tools, Compound \
     Semiconductors, Secure Hardware, RISC-V Systems",
    "Grid Storage, Solar Materials, Green Hydrogen, Battery Chemistry, Fusion Energy, \
     Smart Grids, Energy-Efficient Desalination",
    "Small Satellites, Earth Observation, Space Propulsion, Lunar Science, Space Situational \
     Awareness, Satellite Communications",
    "Autonomous Systems, Agricultural Robotics, Medical Robotics, Drone Swarms, Human–Robot \
     Interaction, Legged Robots",
    "Cybersecurity, Biotechnology, Water Technology, Climate Tech, Food Technology, \
     Critical Minerals",
];

const FIELDS: &str = "Artificial Intelligence|בינה מלאכותית, Advanced Computing|מחשוב מתקדם, \
    Quantum Science|מדעי הקוונטים, Semiconductors|מוליכים למחצה, Energy Systems|מערכות אנרגיה, \
    Space Technology|טכנולוגיות חלל, Robotics|רובוטיקה, Cybersecurity|סייבר, \
    Materials Science|מדע החומרים, Water Technology|טכנולוגיות מים, Photonics|פוטוניקה, \
    Data Science|מדע הנתונים";

const BRAND_STEMS: &str = "Quant, Neur, Astr, Volt, Sil, Nano, Cog, Aer, Hel, Lum, Ax, Ver, Syn, \
    Ter, Photon, Orb, Krypt, Graph, Fus, Cyber, Rob, Stell, Ion, Vect, Hydr, Sol, Gen, Opt, Magn, \
    Puls, Nov, Zen, Arc, Cor, Flux, Hex, Kin, Lyr, Mer, Nex";
const BRAND_ENDINGS: &[&str] = &[
    "ix", "ara", "ium", "ex", "onic", "ify", "ios", "eon", "ora", "yx", "iq", "ent", "ia", "us",
    "ica", "era", "o", "a",
];
const BRANDS_HE: &str = "Ofek|אופק, Shaked|שקד, Nitzan|ניצן, Tamar|תמר, Keshet|קשת, Zohar|זוהר, \
    Barak|ברק, Shahar|שחר, Eden|עדן, Lavi|לביא, Arbel|ארבל, Carmel|כרמל, Gilboa|גלבוע, \
    Hermon|חרמון, Tavor|תבור, Negev|נגב, Galil|גליל, Yarden|ירדן, Kinneret|כנרת, Sapir|ספיר, \
    Yahalom|יהלום, Rimon|רימון, Erez|ארז, Oren|אורן, Dekel|דקל, Gefen|גפן, Nesher|נשר, Dror|דרור, \
    Anafa|אנפה, Snunit|סנונית, Shemesh|שמש, Kochav|כוכב, Ra'am|רעם, Sufa|סופה, Ma'ayan|מעיין, \
    Afik|אפיק, Yam|ים, Ayalon|איילון, Arava|ערבה, Golan|גולן";
const INDUSTRY_WORDS: &str = "Technologies|טכנולוגיות, Systems|מערכות, Semiconductors|מוליכים למחצה, \
    Robotics|רובוטיקה, Energy|אנרגיה, Space|חלל, AI|בינה מלאכותית, Computing|מחשוב, Labs|מעבדות, \
    Dynamics|דינמיקה, Photonics|פוטוניקה, Quantum|קוונטים, Cyber|סייבר, Data|נתונים";

const FUNDERS: &[&str] = &[
    "U.S.–Israel Binational Science Foundation",
    "National Science Foundation",
    "Israel Innovation Authority",
    "U.S. Department of Energy",
    "DARPA",
    "Directorate of Defense Research & Development (MAFAT)",
    "Israel Science Foundation",
    "BIRD Foundation",
    "NASA",
    "Israel Space Agency",
    "Council for Higher Education – Planning and Budgeting Committee",
    "Fulbright U.S.–Israel Educational Foundation",
    "U.S. Department of State",
    "Israel Ministry of Innovation, Science and Technology",
    "National Institute of Standards and Technology",
    "Office of Naval Research",
    "Air Force Office of Scientific Research",
    "U.S.–Israel Energy Center",
];

/// Funders of one technology area (order of [`TECH_AREA_NAMES`]).
const AREA_FUNDERS: [&[&str]; 7] = [
    &[
        "National Science Foundation",
        "Israel Innovation Authority",
        "DARPA",
    ],
    &[
        "U.S. Department of Energy",
        "National Institute of Standards and Technology",
    ],
    &[
        "Israel Innovation Authority",
        "U.S. Department of Commerce (CHIPS)",
    ],
    &[
        "U.S.–Israel Energy Center",
        "U.S. Department of Energy",
        "BIRD Foundation",
    ],
    &["NASA", "Israel Space Agency"],
    &["Office of Naval Research", "Israel Innovation Authority"],
    &["Israel Science Foundation", "National Science Foundation"],
];

const FELLOWSHIP_TITLES: &[&str] = &[
    "Research stipend",
    "Living stipend",
    "Travel grant",
    "Doctoral fellowship",
    "Postdoctoral fellowship",
    "Visiting scholar award",
    "Relocation grant",
    "Summer research stipend",
];

const PERSON_NOTES: &[&str] = &[
    "Prefers contact by e-mail.",
    "Alumnus of an earlier cohort; happy to mentor.",
    "Security clearance renewal in progress.",
    "Speaks Hebrew, English and Arabic.",
    "Dual appointment with an industry partner.",
];

const PLACEMENT_NOTES: &[&str] = &[
    "Arrives two weeks late.",
    "Requested on-campus housing.",
    "Dietary: kosher.",
    "Dietary: halal.",
    "Spouse accompanying.",
    "Needs a letter for the visa appointment.",
    "Extension under discussion.",
];

struct CountrySpec {
    code: &'static str,
    weight: u32,
    cultures: &'static str,
    phone: &'static str,
    tlds: &'static str,
    legal: &'static str,
    places: &'static str,
}

const fn country(
    code: &'static str,
    weight: u32,
    cultures: &'static str,
    phone: &'static str,
    tlds: &'static str,
    legal: &'static str,
    places: &'static str,
) -> CountrySpec {
    CountrySpec {
        code,
        weight,
        cultures,
        phone,
        tlds,
        legal,
        places,
    }
}

/// Countries of institutions, the US and Israel first; weights in tenths of a percent.
const COUNTRIES: &[CountrySpec] = &[
    country(
        "US",
        420,
        "us",
        "1",
        ".edu .gov .com .org",
        "Inc.",
        "California>Los Angeles, Texas>Austin, Massachusetts>Amherst, New York>New York, \
         Pittsburgh, Michigan>Ann Arbor, Illinois>Urbana, Washington>Seattle, Georgia>Athens, \
         Maryland>College Park, Boston, Chicago, Austin, Seattle, San Diego, Colorado>Boulder, \
         Florida>Gainesville, Virginia>Charlottesville, Pennsylvania>University Park, \
         Ohio>Columbus, Arizona>Tucson, Minnesota>Minneapolis, Wisconsin>Madison, \
         North Carolina>Chapel Hill, Utah>Salt Lake City, Oregon>Eugene, Indiana>Bloomington, \
         Tennessee>Knoxville, Houston, Dallas, Atlanta, Philadelphia, Princeton, Ann Arbor, \
         Madison, Denver, Boulder, Baltimore, Rochester, Buffalo, Syracuse, Ithaca, Nashville, \
         Columbus, Cleveland, Detroit, Salt Lake City, Albuquerque, Los Alamos, Oak Ridge, \
         Huntsville, Tucson, Lincoln, Iowa>Iowa City, Champaign, Bloomington, West Lafayette, \
         Providence, New Haven, Hartford, Burlington, Charlottesville, Blacksburg, Richmond, \
         Charleston, Tampa, Gainesville, Tallahassee, Kentucky>Lexington, Missouri>Columbia, \
         Kansas>Lawrence, Nebraska>Lincoln, Oklahoma>Norman, Arkansas>Fayetteville, \
         Louisiana>Baton Rouge, Alabama>Tuscaloosa, Mississippi>Oxford, South Carolina>Columbia, \
         Nevada>Reno, Sacramento, Davis, Irvine, Santa Barbara, Santa Cruz, Riverside, Eugene, \
         Idaho>Moscow, Montana>Missoula, North Dakota>Grand Forks, South Dakota>Vermillion, \
         Alaska>Fairbanks, Hawaii>Honolulu, Wyoming>Laramie, New Mexico>Albuquerque, \
         New Jersey>New Brunswick, Delaware>Newark, Connecticut>Storrs, Rhode Island>Kingston, \
         Vermont>Burlington, New Hampshire>Durham, Maine>Orono, West Virginia>Morgantown, \
         Palo Alto, San Jose, Berkeley, Pasadena, Los Angeles, Miami, Orlando, Raleigh, Durham, \
         St. Louis, Kansas City, Omaha, Memphis, Knoxville, Savannah, Reno, Las Vegas, El Paso, \
         San Antonio, College Station, Lubbock, Fort Collins, Golden, Provo, Spokane",
    ),
    country(
        "IL",
        300,
        "il il il il il il il ilar ilar",
        "972",
        ".ac.il .gov.il .co.il .org.il",
        "Ltd.",
        "Haifa|חיפה, Tel Aviv|תל אביב, Jerusalem|ירושלים, Beersheba|באר שבע, Rehovot|רחובות, \
         Herzliya|הרצליה, Ariel|אריאל, Netanya|נתניה, Ashdod|אשדוד, Petah Tikva|פתח תקווה, \
         Rishon LeZion|ראשון לציון, Holon|חולון, Ra'anana|רעננה, Kfar Saba|כפר סבא, \
         Modi'in|מודיעין, Eilat|אילת, Nazareth|נצרת, Tiberias|טבריה, Safed|צפת, Afula|עפולה, \
         Ashkelon|אשקלון, Hadera|חדרה, Yokneam|יקנעם, Karmiel|כרמיאל, \
         Kiryat Shmona|קריית שמונה, Sderot|שדרות, Dimona|דימונה, Ramat Gan|רמת גן, \
         Bnei Brak|בני ברק, Bat Yam|בת ים, Lod|לוד, Ramla|רמלה, Nes Ziona|נס ציונה, \
         Rosh HaAyin|ראש העין, Caesarea|קיסריה, Zichron Yaakov|זכרון יעקב, Acre|עכו, \
         Nahariya|נהריה, Arad|ערד, Mitzpe Ramon|מצפה רמון, Yavne|יבנה, Givatayim|גבעתיים, \
         Umm al-Fahm|אום אל-פחם, Sakhnin|סח'נין, Rahat|רהט, Kiryat Gat|קריית גת, \
         Or Yehuda|אור יהודה, Migdal HaEmek|מגדל העמק, Ma'alot|מעלות, Katzrin|קצרין",
    ),
    country(
        "JP",
        50,
        "jp",
        "81",
        ".ac.jp .go.jp .co.jp .or.jp",
        "K.K.",
        "Tokyo, Kyoto, Osaka, Nagoya, Sendai, Sapporo, Fukuoka, Kobe, Hiroshima, Tsukuba, \
         Yokohama, Okinawa, Kanazawa, Chiba",
    ),
    country(
        "DE",
        50,
        "de",
        "49",
        ".de .de .de .de",
        "GmbH",
        "Munich, Berlin, Aachen, Stuttgart, Karlsruhe, Heidelberg, Dresden, Hamburg, Frankfurt, \
         Bonn, Göttingen, Freiburg, Darmstadt, Jülich, Saarbrücken",
    ),
    country(
        "GB",
        50,
        "gb",
        "44",
        ".ac.uk .gov.uk .co.uk .org.uk",
        "Ltd",
        "London, Cambridge, Oxford, Edinburgh, Manchester, Bristol, Glasgow, Birmingham, Leeds, \
         Sheffield, Southampton, Warwick, Cardiff, Belfast, York",
    ),
    country(
        "FR",
        40,
        "fr",
        "33",
        ".fr .gouv.fr .fr .org",
        "SAS",
        "Paris, Grenoble, Lyon, Toulouse, Saclay, Marseille, Bordeaux, Lille, Strasbourg, Nice, \
         Rennes, Nantes, Montpellier, Sophia Antipolis",
    ),
    country(
        "IN",
        40,
        "in",
        "91",
        ".ac.in .gov.in .co.in .org.in",
        "Pvt. Ltd.",
        "Bengaluru, Mumbai, Delhi, Chennai, Hyderabad, Pune, Kanpur, Kharagpur, Kolkata, \
         Ahmedabad, Roorkee, Guwahati",
    ),
    country(
        "KR",
        30,
        "kr",
        "82",
        ".ac.kr .go.kr .co.kr .or.kr",
        "Co., Ltd.",
        "Seoul, Daejeon, Pohang, Busan, Incheon, Gwangju, Ulsan, Suwon, Daegu",
    ),
    country(
        "CA",
        30,
        "us us fr",
        "1",
        ".ca .gc.ca .ca .org",
        "Inc.",
        "Toronto, Montréal, Vancouver, Waterloo, Ottawa, Calgary, Edmonton, Québec City, Halifax, \
         Winnipeg",
    ),
    country(
        "AU",
        20,
        "gb",
        "61",
        ".edu.au .gov.au .com.au .org.au",
        "Pty Ltd",
        "Sydney, Melbourne, Canberra, Brisbane, Perth, Adelaide",
    ),
    country(
        "IT",
        20,
        "it",
        "39",
        ".it .gov.it .it .org",
        "S.p.A.",
        "Milan, Rome, Turin, Bologna, Pisa, Padua, Naples, Trento",
    ),
    country(
        "NL",
        20,
        "nl",
        "31",
        ".nl .nl .nl .org",
        "B.V.",
        "Delft, Amsterdam, Eindhoven, Utrecht, Leiden, Groningen, Twente",
    ),
    country(
        "SG",
        15,
        "zh",
        "65",
        ".edu.sg .gov.sg .com.sg .org.sg",
        "Pte. Ltd.",
        "Singapore, Jurong, Buona Vista, Kent Ridge",
    ),
    country(
        "CH",
        15,
        "de fr",
        "41",
        ".ch .admin.ch .ch .org",
        "AG",
        "Zürich, Lausanne, Geneva, Basel, Bern",
    ),
    country(
        "SE",
        10,
        "nordic",
        "46",
        ".se .se .se .org",
        "AB",
        "Stockholm, Uppsala, Lund, Gothenburg, Linköping",
    ),
    country(
        "ES",
        10,
        "es",
        "34",
        ".es .gob.es .es .org",
        "S.L.",
        "Madrid, Barcelona, Valencia, Seville, Bilbao",
    ),
    country(
        "PL",
        8,
        "slav",
        "48",
        ".edu.pl .gov.pl .pl .org.pl",
        "Sp. z o.o.",
        "Warsaw, Kraków, Wrocław, Gdańsk, Poznań",
    ),
    country(
        "FI",
        6,
        "nordic",
        "358",
        ".fi .fi .fi .org",
        "Oy",
        "Helsinki, Espoo, Tampere, Oulu",
    ),
    country(
        "DK",
        6,
        "nordic",
        "45",
        ".dk .dk .dk .org",
        "A/S",
        "Copenhagen, Aarhus, Lyngby, Odense",
    ),
    country(
        "IE",
        5,
        "gb",
        "353",
        ".ie .gov.ie .ie .org",
        "Ltd",
        "Dublin, Cork, Galway, Limerick",
    ),
    country(
        "AT",
        5,
        "de",
        "43",
        ".ac.at .gv.at .at .org",
        "GmbH",
        "Vienna, Graz, Innsbruck, Linz",
    ),
    country(
        "BE",
        5,
        "fr nl",
        "32",
        ".be .be .be .org",
        "NV",
        "Brussels, Leuven, Ghent, Liège",
    ),
    country(
        "TW",
        7,
        "zh",
        "886",
        ".edu.tw .gov.tw .com.tw .org.tw",
        "Co., Ltd.",
        "Taipei, Hsinchu, Tainan, Taichung",
    ),
    country(
        "NZ",
        3,
        "gb",
        "64",
        ".ac.nz .govt.nz .co.nz .org.nz",
        "Ltd",
        "Auckland, Wellington, Christchurch",
    ),
    country(
        "NO",
        4,
        "nordic",
        "47",
        ".no .no .no .org",
        "AS",
        "Oslo, Trondheim, Bergen",
    ),
    country(
        "CZ",
        4,
        "slav",
        "420",
        ".cz .cz .cz .org",
        "s.r.o.",
        "Prague, Brno, Ostrava",
    ),
    country(
        "GR",
        4,
        "gr",
        "30",
        ".gr .gov.gr .gr .org",
        "S.A.",
        "Athens, Thessaloniki, Patras, Heraklion",
    ),
    country(
        "AE",
        3,
        "ar",
        "971",
        ".ac.ae .gov.ae .ae .org",
        "LLC",
        "Abu Dhabi, Dubai, Sharjah",
    ),
    country(
        "MA",
        2,
        "ar fr",
        "212",
        ".ac.ma .gov.ma .ma .org",
        "SARL",
        "Rabat, Casablanca, Marrakesh",
    ),
    country(
        "BH",
        1,
        "ar",
        "973",
        ".edu.bh .gov.bh .bh .org",
        "W.L.L.",
        "Manama, Muharraq",
    ),
];

/// Naming traditions: key, given names, family names (commonest first; Israeli ones with
/// their Hebrew spelling and a weight that follows the real frequency of the name).
const CULTURES: &[(&str, &str, &str)] = &[
    (
        "il",
        "Noa|נועה, Yosef|יוסף, David|דוד, Tamar|תמר, Ariel|אריאל, Maya|מאיה, Daniel|דניאל, \
         Shira|שירה, Noam|נועם, Yael|יעל, Itai|איתי, Michal|מיכל, Omer|עומר, Avigail|אביגיל, \
         Eitan|איתן, Hila|הילה, Yonatan|יונתן, Adi|עדי, Uri|אורי, Talia|טליה, Amit|עמית, \
         Sarah|שרה, Lior|ליאור, Rivka|רבקה, Yuval|יובל, Leah|לאה, Guy|גיא, Rachel|רחל, \
         Tomer|תומר, Efrat|אפרת, Idan|עידן, Liat|ליאת, Nadav|נדב, Keren|קרן, Roi|רועי, \
         Inbal|ענבל, Amir|אמיר, Dana|דנה, Avi|אבי, Hadas|הדס, Moshe|משה, Orly|אורלי, \
         Michael|מיכאל, Sivan|סיון, Yaakov|יעקב, Merav|מירב, Eyal|אייל, Neta|נטע, Ron|רון, \
         Roni|רוני, Oren|אורן, Yarden|ירדן, Gal|גל, Ayelet|איילת, Alon|אלון, Einav|עינב, \
         Ido|עידו, Osnat|אסנת, Shai|שי, Ruth|רות, Yair|יאיר, Naama|נעמה, Asaf|אסף, Hagar|הגר, \
         Erez|ארז, Ella|אלה, Ofer|עופר, Romi|רומי, Boaz|בועז, Shani|שני, Nir|ניר, Orit|אורית, \
         Dror|דרור, Galit|גלית, Elad|אלעד, Sigal|סיגל, Matan|מתן, Dvora|דבורה, Ze'ev|זאב, \
         Batya|בתיה, Chaim|חיים, Esther|אסתר, Shlomo|שלמה, Miriam|מרים",
        "Cohen|כהן|120, Levi|לוי|80, Mizrahi|מזרחי|40, Peretz|פרץ|30, Biton|ביטון|28, \
         Dahan|דהן|25, Avraham|אברהם|24, Friedman|פרידמן|23, Malka|מלכה|20, Azoulay|אזולאי|19, \
         Katz|כץ|19, Yosef|יוסף|18, David|דוד|18, Amar|עמר|17, Ohayon|אוחיון|16, Hadad|חדד|16, \
         Gabay|גבאי|16, Ben David|בן דוד|15, Shapira|שפירא|14, Levin|לוין|13, \
         Ashkenazi|אשכנזי|12, Elbaz|אלבז|12, Vaknin|ועקנין|12, Sasson|ששון|11, Segal|סגל|11, \
         Golan|גולן|10, Shitrit|שטרית|10, Abutbul|אבוטבול|9, Goldberg|גולדברג|9, \
         Rosenberg|רוזנברג|8, Weiss|וייס|8, Klein|קליין|8, Kaplan|קפלן|8, Rosen|רוזן|7, \
         Stern|שטרן|7, Berger|ברגר|7, Shalom|שלום|7, Harel|הראל|7, Barak|ברק|7, Sharon|שרון|6, \
         Navon|נבון|6, Carmi|כרמי|6, Almog|אלמוג|6, Tal|טל|6, Ben Shimon|בן שמעון|6, \
         Eliyahu|אליהו|6, Moshe|משה|6, Ben Ami|בן עמי|5, Nahum|נחום|5, Yitzhak|יצחק|5, \
         Nissim|ניסים|5, Toledano|טולדנו|5, Dayan|דיין|5, Kadosh|קדוש|5, Zohar|זוהר|5, \
         Ofer|עופר|5, Gal|גל|5, Peled|פלד|5, Meir|מאיר|5, Hazan|חזן|5, Sabag|סבג|5, \
         Turgeman|תורגמן|5, Baruch|ברוך|4, Erez|ארז|4, Alon|אלון|4, Regev|רגב|4, Tzur|צור|4, \
         Shaked|שקד|4, Grinberg|גרינברג|4, Zilberman|זילברמן|4, Lerner|לרנר|4, \
         Avrahami|אברהמי|4, Ben Haim|בן חיים|4, Oz|עוז|3, Yaari|יערי|3, Amsalem|אמסלם|3",
    ),
    (
        "ilar",
        "Mohammed|מוחמד, Ahmad|אחמד, Yousef|יוסף, Omar|עומר, Ali|עלי, Rami|ראמי, Samer|סאמר, \
         Khaled|ח'אלד, Adam|אדם, Lina|לינה, Rana|ראנה, Nour|נור, Maryam|מרים, Aya|איה, Hala|הלה, \
         Rawan|רוואן, Sara|סארה, Dana|דאנה, Tariq|טארק, Amal|אמל, Wissam|ויסאם, Reem|רים",
        "Agbaria|אגבאריה|6, Mahajna|מחאג'נה|5, Jabarin|ג'בארין|5, Khoury|ח'ורי|5, \
         Haddad|חדאד|5, Nasser|נאסר|4, Mansour|מנסור|4, Saleh|סאלח|4, Abu Ahmad|אבו אחמד|4, \
         Zoabi|זועבי|4, Masarwa|מסארווה|4, Khatib|ח'טיב|4, Hamdan|חמדאן|3, Odeh|עודה|3, \
         Suleiman|סולימאן|3, Halabi|חלבי|3, Kheir|ח'יר|3, Bishara|בשארה|3",
    ),
    (
        "us",
        "James, Mary, Michael, Jennifer, Robert, Linda, John, Elizabeth, David, Sarah, William, \
         Jessica, Daniel, Emily, Joseph, Ashley, Thomas, Emma, Christopher, Olivia, Matthew, \
         Sophia, Andrew, Hannah, Joshua, Rachel, Ryan, Megan, Benjamin, Lauren, Samuel, Grace, \
         Nathan, Chloe, Ethan, Abigail, Noah, Madison, Jacob, Natalie, Alexander, Rebecca, \
         Tyler, Katherine, Kevin, Jasmine, Brian, Aaliyah, José, María, Luis, Ana, Carlos, \
         Wei, Mei, Arjun, Priya, Zoë, Dmitri, Aisha, Kwame, Siobhan, Mateo, Camila",
        "Smith|100, Johnson|81, Williams|68, Brown|60, Jones|60, Garcia|52, Miller|52, \
         Davis|50, Rodriguez|46, Martinez|45, Hernandez|44, Lopez|35, Gonzalez|34, Wilson|33, \
         Anderson|32, Thomas|31, Taylor|30, Moore|29, Jackson|29, Martin|28, Lee|28, Perez|24, \
         Thompson|24, White|24, Harris|23, Sanchez|23, Clark|21, Ramirez|21, Lewis|20, \
         Robinson|20, Walker|19, Young|18, Allen|18, King|18, Wright|18, Scott|17, Torres|17, \
         Nguyen|17, Hill|17, Flores|17, Green|16, Adams|16, Nelson|16, Baker|16, Hall|15, \
         Rivera|15, Campbell|15, Mitchell|15, Carter|14, Roberts|14, Chen|12, Patel|12, Kim|12, \
         Wang|10, Murphy|10, Cohen|9, O'Brien|8, Sullivan|8, Li|8, Levine|6, Liu|6, Singh|6, \
         Goldberg|5, Schwartz|5, Katz|5, Friedman|5, Shapiro|5, Kaplan|5, Klein|5, Wu|5, \
         Park|5, Kumar|5, Rosen|4, Weiss|4, Shah|4, Nakamura|3, Dubois|2, Müller|2",
    ),
    (
        "jp",
        "Haruto, Yui, Sota, Hina, Yuto, Aoi, Hiroshi, Sakura, Takeshi, Yuki, Kenji, Mei, Daiki, \
         Akiko, Ren, Naoko, Kaito, Emi",
        "Sato, Suzuki, Takahashi, Tanaka, Watanabe, Ito, Yamamoto, Nakamura, Kobayashi, Kato, \
         Yoshida, Yamada, Sasaki, Yamaguchi, Matsumoto",
    ),
    (
        "de",
        "Lukas, Anna, Jonas, Lea, Leon, Marie, Felix, Sophie, Maximilian, Laura, Paul, \
         Katharina, Jan, Julia, Tobias, Jürgen, Jörg, Lena",
        "Müller, Schmidt, Schneider, Fischer, Weber, Meyer, Wagner, Becker, Schulz, Hoffmann, \
         Koch, Richter, Klein, Wolf, Schröder, Neumann, Zimmermann",
    ),
    (
        "gb",
        "Oliver, Amelia, George, Olivia, Harry, Isla, Jack, Ava, Charlie, Emily, Thomas, Sophie, \
         Eleanor, Siobhan, Rhys, Fiona, Callum, Niamh",
        "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, \
         Thompson, Evans, Walker, White, Roberts, O'Connor, Campbell, MacDonald",
    ),
    (
        "fr",
        "Gabriel, Léa, Raphaël, Chloé, Louis, Manon, Hugo, Camille, Jules, Inès, Arthur, Jade, \
         Antoine, Louise, Émile, Zoé, Hélène, François",
        "Martin, Bernard, Dubois, Thomas, Robert, Richard, Petit, Durand, Leroy, Moreau, Simon, \
         Laurent, Lefèvre, Girard, Fontaine, Rousseau",
    ),
    (
        "in",
        "Aarav, Ananya, Arjun, Priya, Rohan, Diya, Vikram, Kavya, Rahul, Meera, Aditya, Neha, \
         Sanjay, Pooja, Lakshmi, Karthik",
        "Sharma, Patel, Singh, Kumar, Gupta, Reddy, Iyer, Nair, Rao, Das, Mehta, Joshi, Verma, \
         Agarwal, Banerjee, Krishnan",
    ),
    (
        "kr",
        "Min-jun, Seo-yeon, Seo-jun, Ha-eun, Ji-ho, Ji-woo, Do-yun, Su-bin, Hyun-woo, Ye-jin",
        "Kim, Lee, Park, Choi, Jung, Kang, Cho, Yoon, Jang, Lim",
    ),
    (
        "it",
        "Marco, Giulia, Luca, Francesca, Alessandro, Chiara, Matteo, Sofia, Lorenzo, Elena",
        "Rossi, Russo, Ferrari, Esposito, Bianchi, Romano, Colombo, Ricci, Marino, Greco",
    ),
    (
        "es",
        "Alejandro, Lucía, Pablo, Sofía, Javier, Carmen, Daniel, Martina, Álvaro, Paula",
        "García, Fernández, González, Rodríguez, López, Martínez, Sánchez, Pérez, Gómez, Martín",
    ),
    (
        "nl",
        "Daan, Emma, Sem, Julia, Bram, Lotte, Thijs, Sanne, Lucas, Fleur",
        "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Visser, Smit, Meijer, de Boer",
    ),
    (
        "nordic",
        "Erik, Anna, Lars, Ingrid, Mikko, Astrid, Nils, Freja, Olav, Sigrid",
        "Johansson, Andersson, Karlsson, Nilsson, Eriksson, Hansen, Jensen, Nielsen, Virtanen, \
         Korhonen",
    ),
    (
        "zh",
        "Wei, Mei, Jie, Ling, Hui, Jun, Xin, Yi, Hao, Yan",
        "Chen, Lin, Huang, Zhang, Li, Wang, Tan, Lim, Wu, Liu",
    ),
    (
        "slav",
        "Jakub, Zofia, Jan, Anna, Tomasz, Katarzyna, Petr, Lucie, Michał, Tereza",
        "Nowak, Kowalski, Wiśniewski, Wójcik, Novák, Svoboda, Dvořák, Kowalczyk, Černý, Mazur",
    ),
    (
        "gr",
        "Nikos, Maria, Giorgos, Eleni, Dimitris, Katerina, Kostas, Sofia",
        "Papadopoulos, Georgiou, Nikolaou, Papadakis, Oikonomou, Vlachos, Pappas, Karagiannis",
    ),
    (
        "ar",
        "Mohammed, Fatima, Omar, Layla, Yousef, Aisha, Hamad, Mariam, Khalid, Noura",
        "Al Mansouri, Al Hashimi, El Amrani, Benali, Al Khalifa, Al Nuaimi, Bennani, Al Zayani",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn stripped(export: &str) -> Value {
        let mut v: Value = serde_json::from_str(export).unwrap();
        fn strip(v: &mut Value) {
            match v {
                Value::Object(m) => {
                    m.remove("created_at");
                    m.remove("updated_at");
                    m.values_mut().for_each(strip);
                }
                Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        strip(&mut v);
        v
    }

    fn generated(people: u32, seed: u64) -> (Db, GenSummary) {
        let mut db = Db::open_in_memory().unwrap();
        let summary = db.generate(people, seed, &mut |_| true).unwrap();
        (db, summary)
    }

    #[test]
    fn counts_are_in_proportion_and_every_status_is_present() {
        let (db, s) = generated(2000, 7);
        assert_eq!(s.people, 2000);
        assert_eq!(s.institutions, 50);
        assert_eq!(s.programs, 10);
        assert_eq!(s.cohorts, 40);
        assert_eq!(s.placements, 4000);
        assert_eq!(s.fellowships, 500);
        assert_eq!(s.agreements, 5);
        assert_eq!(s.national_placements, 100);
        let stats = db.stats().unwrap();
        assert_eq!(stats.counts["person"], 2000);
        assert_eq!(stats.counts["placement"], 4000);
        assert_eq!(stats.counts["agreement"], 5);
        for (status, n) in &stats.placements_by_status {
            assert!(*n > 0, "no placement is {status}: {stats:?}");
        }
        for (kind, n) in &stats.programs_by_kind {
            assert!(*n > 0, "no program is {kind}");
        }
        for (area, n) in &stats.programs_by_tech_area {
            assert!(*n > 0, "no program is in {area}");
        }
        for dir in ["US->IL", "IL->US", "domestic"] {
            assert!(stats.placements_by_direction[dir] > 0, "no {dir} placement");
        }
        assert!(db.check().unwrap().ok);
        let roster = db.roster(&s.national_cohort_id).unwrap();
        assert_eq!(roster.len(), 100);
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let (a, _) = generated(400, 42);
        let (b, _) = generated(400, 42);
        let (c, _) = generated(400, 43);
        let (ea, eb, ec) = (
            a.export_all().unwrap(),
            b.export_all().unwrap(),
            c.export_all().unwrap(),
        );
        assert!(stripped(&ea) == stripped(&eb), "same seed, different data");
        assert!(stripped(&ea) != stripped(&ec), "different seeds, same data");
    }

    #[test]
    fn the_rules_hold() {
        let (db, _) = generated(1000, 3);
        let conn = &db.conn;
        let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        // Screening is cleared past the gate in sensitive programs.
        assert_eq!(
            one(
                "SELECT count(*) FROM placement pl JOIN cohort c ON c.id = pl.cohort_id
                 JOIN program p ON p.id = c.program_id
                 WHERE p.sensitive = 1 AND pl.status IN ('confirmed', 'active', 'completed')
                   AND pl.screening <> 'cleared'"
            ),
            0
        );
        assert!(one("SELECT count(*) FROM program WHERE sensitive = 1") > 0);
        // Capacity is respected.
        assert_eq!(
            one(
                "SELECT count(*) FROM cohort c WHERE c.capacity IS NOT NULL AND c.capacity <
                 (SELECT count(*) FROM placement pl WHERE pl.cohort_id = c.id
                  AND pl.status NOT IN ('withdrawn', 'declined'))"
            ),
            0
        );
        assert!(one("SELECT count(*) FROM cohort WHERE capacity IS NOT NULL") > 0);
        // A person at most once per cohort.
        assert_eq!(
            one(
                "SELECT count(*) FROM (SELECT 1 FROM placement GROUP BY person_id, cohort_id
                 HAVING count(*) > 1)"
            ),
            0
        );
        // Unique e-mails; ORCIDs present and unique.
        assert_eq!(
            one(
                "SELECT count(*) - count(DISTINCT email_key) FROM person WHERE email_key IS NOT NULL"
            ),
            0
        );
        assert!(one("SELECT count(*) FROM person WHERE orcid IS NOT NULL") > 0);
        // Tranches never exceed the award; both currencies appear.
        assert_eq!(
            one("SELECT count(*) FROM fellowship f WHERE f.award_minor <
                 (SELECT coalesce(sum(amount_minor), 0) FROM tranche t WHERE t.fellowship_id = f.id)"),
            0
        );
        assert!(one("SELECT count(*) FROM fellowship WHERE currency = 'ILS'") > 0);
        assert!(one("SELECT count(*) FROM fellowship WHERE currency = 'USD'") > 0);
        assert!(one("SELECT count(*) FROM report") > 0);
        assert!(one("SELECT count(*) FROM quota") > 0);
        // Bilingual people, Hebrew-named Israeli institutions, all four sectors.
        assert!(one("SELECT count(*) FROM person WHERE family_name_he = 'כהן'") > 0);
        assert!(
            one(
                "SELECT count(*) FROM person WHERE given_name IS NOT NULL AND given_name_he IS NOT NULL"
            ) > 0
        );
        assert!(
            one("SELECT count(*) FROM institution WHERE country = 'IL' AND name_he IS NOT NULL")
                > 0
        );
        assert_eq!(one("SELECT count(DISTINCT sector) FROM institution"), 4);
        assert!(one("SELECT count(DISTINCT country) FROM institution") >= 5);
        // Every record was recorded in history and people are searchable.
        assert!(one("SELECT count(DISTINCT record_id) FROM history") >= 1000);
        assert!(!db.search("כהן", 5).unwrap().is_empty());
        assert!(!db.search("Cohen", 5).unwrap().is_empty());
        assert!(db.check().unwrap().ok);
    }

    #[test]
    fn a_non_empty_database_is_refused_and_cancelling_writes_nothing() {
        let (mut db, _) = generated(50, 1);
        let e = db.generate(50, 1, &mut |_| true).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Refused);

        let mut db = Db::open_in_memory().unwrap();
        let mut calls = 0;
        let e = db
            .generate(200, 1, &mut |p| {
                calls += 1;
                p.done < p.total / 2
            })
            .unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Refused);
        assert!(calls > 1);
        assert!(db.is_empty().unwrap());
        assert!(db.generate(0, 1, &mut |_| true).is_err());
    }

    #[test]
    fn a_database_file_is_left_as_it_was_opened() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("gen.sqlite3")).unwrap();
        db.generate(100, 1, &mut |_| true).unwrap();
        let pragma = |name: &str| -> String {
            db.conn
                .query_row(&format!("PRAGMA {name}"), [], |r| {
                    r.get::<_, rusqlite::types::Value>(0)
                })
                .map(|v| format!("{v:?}"))
                .unwrap()
        };
        assert_eq!(pragma("journal_mode"), r#"Text("wal")"#);
        assert_eq!(pragma("temp_store"), "Integer(0)");
        assert_eq!(pragma("cache_size"), "Integer(-2000)");
        assert!(db.check().unwrap().ok);
        drop(db);
        let db = Db::open(&dir.path().join("gen.sqlite3")).unwrap();
        assert_eq!(db.stats().unwrap().counts["person"], 100);
    }

    #[test]
    fn tiny_datasets_work() {
        for people in [1, 3, 19, 20, 21] {
            let (db, s) = generated(people, 9);
            assert_eq!(s.people, people);
            assert!(db.check().unwrap().ok);
        }
    }

    #[test]
    fn generated_ids_are_uuid_v7_and_orcids_valid() {
        let mut g = Gen::new(10, 5);
        let id = g.id();
        let u = uuid::Uuid::parse_str(&id).unwrap();
        assert_eq!(u.get_version_num(), 7);
        assert_eq!(u.get_variant(), uuid::Variant::RFC4122);
        for _ in 0..100 {
            let orcid = g.orcid();
            assert_eq!(values::parse_orcid("orcid", &orcid).unwrap(), orcid);
            let ror = g.ror();
            assert_eq!(values::parse_ror("ror", &ror).unwrap(), ror);
        }
    }
}
