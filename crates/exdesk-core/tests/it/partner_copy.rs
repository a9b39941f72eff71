//! Partner copies: a laptop that received records in a package scoped to a cohort holds
//! them without their redacted fields and may not set those (the coordinator keeps them);
//! everything else stays editable, its own records are its own, a full package makes a
//! copy whole; and the coordinator does not let such a device overwrite the values.

use std::path::{Path, PathBuf};

use exdesk_core::{Db, Entity, ErrorCode, WriteOptions};
use serde_json::{Value, json};

use crate::{World, add, id, world};

/// The redacted fields of domain.md, as the partner's copies lack them.
const PERSON_WITHHELD: [&str; 4] = ["birth_date", "citizenships", "phone", "email"];
const PLACEMENT_WITHHELD: [&str; 3] = ["screening", "visa_type", "visa_expires"];

/// The coordinator's office and a partner campus laptop that knows it.
struct Pair {
    dir: tempfile::TempDir,
    office: Db,
    partner: Db,
    partner_path: PathBuf,
    partner_id: String,
    world: World,
    /// A person with every redacted field, and her placement in the sensitive cohort.
    dana: String,
    placement: String,
    n: usize,
}

impl Pair {
    fn file(&mut self) -> PathBuf {
        self.n += 1;
        self.dir.path().join(format!("p{}.exdesk-sync", self.n))
    }

    /// The office's package for the partner (`--for`), scoped to the sensitive cohort or
    /// full, imported by the partner.
    fn office_to_partner(&mut self, scoped: bool) {
        let file = self.file();
        let cohort = self.world.sensitive_cohort.clone();
        let scope = scoped.then_some(cohort.as_str());
        self.office
            .sync_export(&file, Some(&self.partner_id), scope)
            .unwrap();
        self.partner.sync_import(&file, true).unwrap();
    }

    /// The partner's package for the office, imported there.
    fn partner_to_office(&mut self) {
        let file = self.file();
        let office = self.office.device().unwrap().id;
        self.partner
            .sync_export(&file, Some(&office), None)
            .unwrap();
        self.office.sync_import(&file, false).unwrap();
    }
}

fn pair() -> Pair {
    let dir = tempfile::tempdir().unwrap();
    let mut office = Db::open(&dir.path().join("office.sqlite3")).unwrap();
    office.set_device_name("Office").unwrap();
    let partner_path = dir.path().join("partner.sqlite3");
    let mut partner = Db::open(&partner_path).unwrap();
    partner.set_device_name("Campus").unwrap();
    let w = world(&mut office);
    let dana = id(&add(
        &mut office,
        Entity::Person,
        json!({"given_name": "Dana", "family_name": "Cohen", "email": "dana@example.org",
               "phone": "+972 4 829 1111", "birth_date": "1999-04-02", "citizenships": ["IL"],
               "home_institution_id": w.technion}),
    ));
    let placement = id(&add(
        &mut office,
        Entity::Placement,
        json!({"person_id": dana, "cohort_id": w.sensitive_cohort, "status": "active",
               "screening": "cleared", "visa_type": "J-1", "visa_expires": "2028-06-30"}),
    ));
    // The office learns the partner's device from its first (empty) package.
    let hello = dir.path().join("hello.exdesk-sync");
    partner.sync_export(&hello, None, None).unwrap();
    office.sync_import(&hello, true).unwrap();
    let partner_id = partner.device().unwrap().id;
    let mut pair = Pair {
        dir,
        office,
        partner,
        partner_path,
        partner_id,
        world: w,
        dana,
        placement,
        n: 0,
    };
    pair.office_to_partner(true);
    pair
}

fn update(db: &mut Db, entity: Entity, id: &str, patch: Value) -> exdesk_core::Result<Value> {
    db.update(entity, id, &patch, WriteOptions::default())
}

#[track_caller]
fn assert_refused(db: &mut Db, entity: Entity, id: &str, field: &str, value: Value) {
    let before = db.export_all().unwrap();
    let err = update(db, entity, id, json!({ field: value })).unwrap_err();
    assert_eq!(err.code(), ErrorCode::Refused, "{entity}.{field}: {err}");
    let problem = &err.problems()[0];
    assert_eq!(problem.field, field, "{err}");
    assert_eq!(problem.code, "partner_copy.field", "{err}");
    assert!(
        problem.message.contains(field) && problem.message.contains("coordinator"),
        "{err}"
    );
    assert_eq!(
        db.export_all().unwrap(),
        before,
        "a refused write changed data"
    );
}

#[test]
fn a_partner_copy_refuses_its_redacted_fields_and_keeps_the_rest_editable() {
    let mut p = pair();
    let (dana, placement) = (p.dana.clone(), p.placement.clone());
    let partner = &mut p.partner;
    assert_eq!(
        partner.partner_copy_fields(Entity::Person, &dana).unwrap(),
        PERSON_WITHHELD
    );
    assert_eq!(
        partner
            .partner_copy_fields(Entity::Placement, &placement)
            .unwrap(),
        PLACEMENT_WITHHELD
    );
    // The copy came without them.
    let copy = partner.get(Entity::Placement, &placement).unwrap();
    assert!(
        copy["screening"].is_null() && copy["visa_type"].is_null(),
        "{copy}"
    );

    for (field, value) in [
        ("birth_date", json!("1999-04-02")),
        ("citizenships", json!(["US"])),
        ("phone", json!("+1 617 555 0100")),
        ("email", json!("dana@campus.example")),
    ] {
        assert_refused(partner, Entity::Person, &dana, field, value);
    }
    for (field, value) in [
        ("screening", json!("pending")),
        ("visa_type", json!("F-1")),
        ("visa_expires", json!("2029-01-31")),
    ] {
        assert_refused(partner, Entity::Placement, &placement, field, value);
    }
    // Several at once are named together (a file with such columns is fixed in one go).
    let err = update(
        partner,
        Entity::Person,
        &dana,
        json!({"phone": "+1 617 555 0100", "birth_date": "1999-04-02"}),
    )
    .unwrap_err();
    let problem = &err.problems()[0];
    assert_eq!(problem.code, "partner_copy.fields", "{err}");
    assert!(
        problem.message.contains("birth_date, phone")
            || problem.message.contains("phone, birth_date"),
        "{err}"
    );
    // The check before a save (the form's) says the same.
    let problems = partner
        .validate(
            Entity::Placement,
            &json!({"visa_type": "F-1", "notes": "x"}),
            Some(&placement),
            WriteOptions::default(),
        )
        .unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].field, "visa_type");

    // Leaving them empty is no change of them; every other field is editable.
    update(
        partner,
        Entity::Placement,
        &placement,
        json!({"visa_type": null}),
    )
    .unwrap();
    let person = update(
        partner,
        Entity::Person,
        &dana,
        json!({"given_name_he": "דנה", "family_name_he": "כהן", "notes": "met at the desk"}),
    )
    .unwrap();
    assert_eq!(person["given_name_he"], "דנה");
    let edited = update(
        partner,
        Entity::Placement,
        &placement,
        json!({"notes": "room 12", "end_date": "2028-01-31"}),
    )
    .unwrap();
    assert_eq!(edited["notes"], "room 12");
    // Completing the active placement needs no screening (it passed the gate).
    let done = update(
        partner,
        Entity::Placement,
        &placement,
        json!({"status": "completed"}),
    )
    .unwrap();
    assert_eq!(done["status"], "completed");
    // Records without redacted fields are never partner copies.
    let cohort = p.world.sensitive_cohort.clone();
    assert!(
        partner
            .partner_copy_fields(Entity::Cohort, &cohort)
            .unwrap()
            .is_empty()
    );
    update(
        partner,
        Entity::Cohort,
        &cohort,
        json!({"location": "Haifa"}),
    )
    .unwrap();
}

#[test]
fn records_the_partner_creates_are_its_own_on_both_laptops() {
    let mut p = pair();
    let cohort = p.world.sensitive_cohort.clone();
    let technion = p.world.technion.clone();
    let noa = id(&add(
        &mut p.partner,
        Entity::Person,
        json!({"given_name": "Noa", "family_name": "Levi", "email": "noa@campus.example",
               "home_institution_id": technion}),
    ));
    let placed = id(&add(
        &mut p.partner,
        Entity::Placement,
        json!({"person_id": noa, "cohort_id": cohort, "screening": "pending", "visa_type": "B/1"}),
    ));
    for (entity, rid) in [(Entity::Person, &noa), (Entity::Placement, &placed)] {
        assert!(
            p.partner
                .partner_copy_fields(entity, rid)
                .unwrap()
                .is_empty()
        );
    }
    update(
        &mut p.partner,
        Entity::Person,
        &noa,
        json!({"phone": "+972 50 000 0000"}),
    )
    .unwrap();
    update(
        &mut p.partner,
        Entity::Placement,
        &placed,
        json!({"visa_type": "J-1"}),
    )
    .unwrap();
    p.partner_to_office();
    assert_eq!(
        p.office.get(Entity::Placement, &placed).unwrap()["visa_type"],
        "J-1"
    );

    // The office edits them and answers with a scoped package that carries them: they
    // stay the partner's own there.
    update(
        &mut p.office,
        Entity::Person,
        &noa,
        json!({"notes": "welcome"}),
    )
    .unwrap();
    update(
        &mut p.office,
        Entity::Placement,
        &placed,
        json!({"notes": "desk 3"}),
    )
    .unwrap();
    p.office_to_partner(true);
    assert_eq!(
        p.partner.get(Entity::Person, &noa).unwrap()["notes"],
        "welcome"
    );
    for (entity, rid) in [(Entity::Person, &noa), (Entity::Placement, &placed)] {
        assert!(
            p.partner
                .partner_copy_fields(entity, rid)
                .unwrap()
                .is_empty()
        );
    }
    update(
        &mut p.partner,
        Entity::Person,
        &noa,
        json!({"email": "noa.levi@campus.example"}),
    )
    .unwrap();
    update(
        &mut p.partner,
        Entity::Placement,
        &placed,
        json!({"visa_expires": "2028-08-31"}),
    )
    .unwrap();
    // And the office takes the partner's changes to its own records.
    p.partner_to_office();
    assert_eq!(
        p.office.get(Entity::Person, &noa).unwrap()["email"],
        "noa.levi@campus.example"
    );
    assert_eq!(
        p.office.get(Entity::Placement, &placed).unwrap()["visa_expires"],
        "2028-08-31"
    );
    assert!(p.office.conflicts(false).unwrap().is_empty());
}

#[test]
fn a_full_package_makes_a_partner_copy_whole() {
    let mut p = pair();
    let (dana, placement) = (p.dana.clone(), p.placement.clone());
    p.office_to_partner(false);
    for (entity, rid) in [(Entity::Person, &dana), (Entity::Placement, &placement)] {
        assert!(
            p.partner
                .partner_copy_fields(entity, rid)
                .unwrap()
                .is_empty()
        );
    }
    assert_eq!(
        p.partner.get(Entity::Person, &dana).unwrap()["email"],
        "dana@example.org"
    );
    update(
        &mut p.partner,
        Entity::Placement,
        &placement,
        json!({"visa_type": "F-1"}),
    )
    .unwrap();
    // A later scoped package does not make it a copy again: the laptop holds it whole.
    update(
        &mut p.office,
        Entity::Placement,
        &placement,
        json!({"notes": "again"}),
    )
    .unwrap();
    p.office_to_partner(true);
    assert!(
        p.partner
            .partner_copy_fields(Entity::Placement, &placement)
            .unwrap()
            .is_empty()
    );
    update(
        &mut p.partner,
        Entity::Person,
        &dana,
        json!({"phone": "+972 4 829 2222"}),
    )
    .unwrap();
}

#[test]
fn a_second_campus_laptop_holds_the_copies_it_got_from_the_first_as_copies() {
    let mut p = pair();
    let (dana, placement) = (p.dana.clone(), p.placement.clone());
    // The partner's full package (not scoped) to another laptop on the same campus.
    let file = p.file();
    p.partner.sync_export(&file, None, None).unwrap();
    let mut second = Db::open(&p.dir.path().join("second.sqlite3")).unwrap();
    second.sync_import(&file, true).unwrap();
    assert_eq!(
        second.partner_copy_fields(Entity::Person, &dana).unwrap(),
        PERSON_WITHHELD
    );
    assert_refused(
        &mut second,
        Entity::Placement,
        &placement,
        "screening",
        json!("pending"),
    );
    // Nor does that full package make the first laptop's copies whole when it comes back.
    let back = p.file();
    second.sync_export(&back, None, None).unwrap();
    p.partner.sync_import(&back, true).unwrap();
    assert_eq!(
        p.partner
            .partner_copy_fields(Entity::Placement, &placement)
            .unwrap(),
        PLACEMENT_WITHHELD
    );
}

/// What an older partner laptop (one that kept no `partner_copy` table) could still do:
/// set a redacted field of a record it holds without it.
fn forget_copies(path: &Path) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute("DELETE FROM partner_copy", [])
        .unwrap();
}

#[test]
fn the_coordinator_keeps_redacted_values_a_partner_that_never_saw_them_sends_back() {
    let mut p = pair();
    let (dana, placement) = (p.dana.clone(), p.placement.clone());
    forget_copies(&p.partner_path);
    update(
        &mut p.partner,
        Entity::Placement,
        &placement,
        json!({"visa_type": "F-1", "notes": "Campus: housing sorted"}),
    )
    .unwrap();
    update(
        &mut p.partner,
        Entity::Person,
        &dana,
        json!({"email": "dana@campus.example"}),
    )
    .unwrap();
    p.partner_to_office();

    // The other fields arrive; the redacted values stay the office's...
    let kept = p.office.get(Entity::Placement, &placement).unwrap();
    assert_eq!(kept["notes"], "Campus: housing sorted");
    assert_eq!(kept["visa_type"], "J-1");
    assert_eq!(
        p.office.get(Entity::Person, &dana).unwrap()["email"],
        "dana@example.org"
    );
    // ...and the partner's are listed, like any write that lost.
    let conflicts = p.office.conflicts(false).unwrap();
    let mut listed: Vec<(String, String, Value, Value)> = conflicts
        .iter()
        .map(|c| {
            (
                c.kind.clone(),
                c.field.clone(),
                c.lost_value.clone(),
                c.kept_value.clone(),
            )
        })
        .collect();
    listed.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        listed,
        [
            (
                "field".to_owned(),
                "email".to_owned(),
                json!("dana@campus.example"),
                json!("dana@example.org")
            ),
            (
                "field".to_owned(),
                "visa_type".to_owned(),
                json!("F-1"),
                json!("J-1")
            ),
        ]
    );
    assert!(conflicts.iter().all(|c| c.lost_device == "Campus"));
    // Importing the same package again lists nothing twice.
    let again = p.dir.path().join(format!("p{}.exdesk-sync", p.n));
    p.office.sync_import(&again, false).unwrap();
    assert_eq!(p.office.conflicts(false).unwrap().len(), 2);

    // Nothing is lost: the coordinator may take the partner's value.
    let visa = conflicts.iter().find(|c| c.field == "visa_type").unwrap();
    p.office.resolve_conflict(&visa.id, true).unwrap();
    assert_eq!(
        p.office.get(Entity::Placement, &placement).unwrap()["visa_type"],
        "F-1"
    );

    // Once the office has sent the partner a full package, the partner saw the values and
    // its changes to them apply.
    p.office_to_partner(false);
    update(
        &mut p.partner,
        Entity::Person,
        &dana,
        json!({"phone": "+972 4 829 3333"}),
    )
    .unwrap();
    p.partner_to_office();
    assert_eq!(
        p.office.get(Entity::Person, &dana).unwrap()["phone"],
        "+972 4 829 3333"
    );
}
