//! Generic record operations (add, get, update, delete, list) driven by the field
//! descriptions of [`crate::entity`], with every write validated and recorded in history.

use serde_json::Value;

use crate::dto::Page;
use crate::{Db, Entity, Result};

/// Options of a write that relax a rule on purpose.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Add a placement past its cohort's capacity.
    pub over_capacity: bool,
    /// Allow a placement's status to move backward; the move is recorded as a reopen.
    pub reopen: bool,
}

/// What `list` returns: an optional text filter, equality filters, paging.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Free text: matched like the global search (prefix, any script).
    pub query: Option<String>,
    /// `field = value` filters, e.g. `("cohort_id", id)` or `("status", "active")`.
    pub filters: Vec<(String, String)>,
    pub limit: Option<usize>,
    pub offset: usize,
}

impl Db {
    /// Validates `input` and creates the record; returns it as stored (with id and
    /// derived fields).
    pub fn add(&mut self, entity: Entity, input: &Value, opts: WriteOptions) -> Result<Value> {
        let _ = (entity, input, opts);
        todo!()
    }

    /// The record with that id.
    pub fn get(&self, entity: Entity, id: &str) -> Result<Value> {
        let _ = (entity, id);
        todo!()
    }

    /// Applies the fields of `patch` (others unchanged); returns the record.
    pub fn update(
        &mut self,
        entity: Entity,
        id: &str,
        patch: &Value,
        opts: WriteOptions,
    ) -> Result<Value> {
        let _ = (entity, id, patch, opts);
        todo!()
    }

    /// Deletes the record; refused while other records refer to it.
    pub fn delete(&mut self, entity: Entity, id: &str) -> Result<()> {
        let _ = (entity, id);
        todo!()
    }

    /// Matching records in the entity's default order.
    pub fn list(&self, entity: Entity, query: &ListQuery) -> Result<Vec<Value>> {
        let _ = (entity, query);
        todo!()
    }

    /// One page of matching records and the total count (for list views).
    pub fn page(&self, entity: Entity, query: &ListQuery) -> Result<Page> {
        let _ = (entity, query);
        todo!()
    }
}
