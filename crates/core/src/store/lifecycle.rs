//! Creating, deleting and listing a tenant's records: the rest of a resource's lifecycle beside
//! `Store::update`, with the same guarantees. Every write runs in the single writer's transaction
//! (so two creates of one id race to exactly one winner), is acknowledged only after its commit, and
//! reaches the record cache in commit order; a listing reads one tenant's rows only, in a total
//! order, and pages by position (keyset) or by offset.

use super::rows::{self, Listed, Position, SortKey};
use super::writer::OnCommit;
use super::{cache, Lookup, Store};
use crate::model::{now_millis, Integration, TenantRef};
use crate::CoreError;
use std::sync::Arc;

/// Which records a listing returns, in which order, from where.
#[derive(Clone)]
pub struct ListQuery {
    pub order: ListOrder,
    pub start: ListStart,
    /// At most this many records (0: none, only the total when asked for).
    pub limit: usize,
    /// Only the records this accepts are listed (and counted).
    pub filter: Option<RecordFilter>,
    /// Whether to count every record the filter accepts, whatever the page.
    pub count_total: bool,
}

/// A test records must pass to be listed.
pub type RecordFilter = Arc<dyn Fn(&Integration) -> bool + Send + Sync>;

/// The order of a listing. Every order is total: records created in the same millisecond keep the
/// order they were stored in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListOrder {
    /// By creation, oldest first (`descending: false`) or newest first.
    Created { descending: bool },
    /// By last update. A record updated between two pages moves: page such a listing by offset.
    Updated { descending: bool },
    /// By kind (provider, toolkit...), then by creation, oldest first.
    KindThenCreated,
}

/// Where a listing starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListStart {
    /// At the first record.
    First,
    /// Right after the record a previous page ended on (its [`Page::next`]). Records created or
    /// deleted meanwhile do not shift it: no record that exists throughout is seen twice or
    /// skipped.
    After(Cursor),
    /// After skipping this many records (offset paging).
    Offset(usize),
}

impl ListQuery {
    /// The first `limit` records in `order`, unfiltered, without a total.
    pub fn first(order: ListOrder, limit: usize) -> ListQuery {
        ListQuery {
            order,
            start: ListStart::First,
            limit,
            filter: None,
            count_total: false,
        }
    }
}

/// One page of a listing.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub records: Vec<Arc<Integration>>,
    /// Where the next page starts, when there are more records after this page.
    pub next: Option<Cursor>,
    /// Every record the filter accepts, when asked for.
    pub total: Option<usize>,
}

/// A position in a listing: opaque to adapters, which may wrap [`Cursor::token`] in their vendor's
/// own format. A token read back for another order is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    order: ListOrder,
    position: Position,
}

impl Cursor {
    /// The cursor as text: ASCII letters, digits, `.` and `-` only.
    pub fn token(&self) -> String {
        let kind: String = self
            .position
            .kind
            .bytes()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        format!(
            "{}.{}.{}.{kind}",
            order_tag(self.order),
            self.position.time,
            self.position.row_id
        )
    }

    /// A cursor from its [`Cursor::token`], for a listing in `order`; `None` for anything else.
    pub fn from_token(token: &str, order: ListOrder) -> Option<Cursor> {
        let mut parts = token.split('.');
        let (tag, time, row_id, kind) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || tag != order_tag(order) {
            return None;
        }
        let kind = (0..kind.len())
            .step_by(2)
            .map(|at| u8::from_str_radix(kind.get(at..at + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()
            .and_then(|bytes| String::from_utf8(bytes).ok())?;
        Some(Cursor {
            order,
            position: Position {
                time: time.parse().ok()?,
                kind,
                row_id: row_id.parse().ok()?,
            },
        })
    }
}

fn order_tag(order: ListOrder) -> &'static str {
    match order {
        ListOrder::Created { descending: false } => "ca",
        ListOrder::Created { descending: true } => "cd",
        ListOrder::Updated { descending: false } => "ua",
        ListOrder::Updated { descending: true } => "ud",
        ListOrder::KindThenCreated => "kc",
    }
}

fn sort_key(order: ListOrder) -> (SortKey, bool) {
    match order {
        ListOrder::Created { descending } => (SortKey::Created, descending),
        ListOrder::Updated { descending } => (SortKey::Updated, descending),
        ListOrder::KindThenCreated => (SortKey::KindThenCreated, false),
    }
}

fn position(order: ListOrder, listed: &Listed) -> Position {
    let record = &listed.record;
    let (time, kind) = match order {
        ListOrder::Created { .. } => (record.created_at.timestamp_millis(), String::new()),
        ListOrder::Updated { .. } => (record.updated_at.timestamp_millis(), String::new()),
        ListOrder::KindThenCreated => (record.created_at.timestamp_millis(), record.kind.clone()),
    };
    Position {
        time,
        kind,
        row_id: listed.row_id,
    }
}

impl Store {
    /// Creates one record with id `id` in the tenant: [`Store::create_all`] for one record.
    pub async fn create<E, F>(
        &self,
        tenant: &TenantRef,
        id: &str,
        build: F,
    ) -> Result<Arc<Integration>, E>
    where
        E: From<CoreError> + Send + 'static,
        F: FnOnce(&Lookup<'_>) -> Result<Integration, E> + Send + 'static,
    {
        let id = id.to_string();
        let created = self
            .create_all::<E, _>(tenant, vec![id.clone()], move |lookup| {
                let mut record = build(lookup)?;
                record.id = id;
                Ok(vec![record])
            })
            .await?;
        created
            .into_iter()
            .next()
            .ok_or_else(|| E::from(CoreError::Storage("a create stored no record".into())))
    }

    /// Creates records in the tenant in one transaction: when any of `ids` is taken in the tenant,
    /// [`CoreError::IdConflict`] (before `build` runs); else `build` makes the records (with a
    /// [`Lookup`] into the tenant, for checks that must come after the id's), which are stored with
    /// this tenant and `created_at` = `updated_at` = now. If `build` fails, or a record's id is
    /// taken after all, nothing is written. Returns the stored records, in `build`'s order.
    pub async fn create_all<E, F>(
        &self,
        tenant: &TenantRef,
        ids: Vec<String>,
        build: F,
    ) -> Result<Vec<Arc<Integration>>, E>
    where
        E: From<CoreError> + Send + 'static,
        F: FnOnce(&Lookup<'_>) -> Result<Vec<Integration>, E> + Send + 'static,
    {
        let (vendor, tenant) = (tenant.vendor, tenant.tenant.clone());
        let inner = Arc::clone(&self.inner);
        let publish: OnCommit<Vec<Arc<Integration>>> = Box::new(move |records| {
            for record in records {
                inner.cache.publish(vendor, &record.id, record);
            }
        });
        self.write_then(false, Some(publish), move |connection, batch| {
            for id in &ids {
                if rows::exists(connection, vendor, &tenant, id)? {
                    return Err(CoreError::IdConflict { id: id.clone() }.into());
                }
            }
            let records = build(&Lookup {
                connection,
                vendor,
                tenant: &tenant,
            })?;
            let now = now_millis();
            let mut stored = Vec::with_capacity(records.len());
            for mut record in records {
                record.tenant = tenant.clone();
                record.created_at = now;
                record.updated_at = now;
                rows::insert(connection, vendor, &record)?;
                let record = Arc::new(record);
                batch.written.insert(
                    cache::key(vendor, &tenant, &record.id),
                    Some(Arc::clone(&record)),
                );
                stored.push(record);
            }
            Ok(stored)
        })
        .await
    }

    /// Deletes one record of the tenant: [`Store::delete_with`] with no check and no dependents.
    pub async fn delete(
        &self,
        tenant: &TenantRef,
        id: &str,
    ) -> Result<Arc<Integration>, CoreError> {
        let mut deleted = self
            .delete_with(tenant, id, |_, _| Ok::<_, CoreError>(Vec::new()))
            .await?;
        Ok(deleted.remove(0))
    }

    /// Deletes a record of the tenant in one transaction: [`CoreError::NotFound`] when it is not
    /// there; else `check` sees it (with a [`Lookup`] into the tenant) and may refuse, or name more
    /// records of the tenant to delete with it (a parent's children). Nothing else of the tenant
    /// changes, and a deleted id may be created again. Returns the deleted records, the one asked
    /// for first.
    pub async fn delete_with<E, F>(
        &self,
        tenant: &TenantRef,
        id: &str,
        check: F,
    ) -> Result<Vec<Arc<Integration>>, E>
    where
        E: From<CoreError> + Send + 'static,
        F: FnOnce(&Integration, &Lookup<'_>) -> Result<Vec<String>, E> + Send + 'static,
    {
        let (vendor, tenant, id) = (tenant.vendor, tenant.tenant.clone(), id.to_string());
        let inner = Arc::clone(&self.inner);
        let publish: OnCommit<Vec<Arc<Integration>>> = Box::new(move |records| {
            for record in records {
                inner.cache.forget(vendor, &record.tenant, &record.id);
            }
        });
        self.write_then(false, Some(publish), move |connection, batch| {
            let lookup = Lookup {
                connection,
                vendor,
                tenant: &tenant,
            };
            let record = rows::find(connection, vendor, &tenant, &id)?
                .ok_or_else(|| CoreError::NotFound { id: id.clone() })?
                .1;
            let dependents = check(&record, &lookup)?;
            let mut deleted = vec![Arc::new(record)];
            for dependent in dependents.iter().filter(|dependent| **dependent != id) {
                if let Some((_, record)) = rows::find(connection, vendor, &tenant, dependent)? {
                    deleted.push(Arc::new(record));
                }
            }
            for record in &deleted {
                rows::delete(connection, vendor, &tenant, &record.id)?;
                batch
                    .written
                    .insert(cache::key(vendor, &tenant, &record.id), None);
            }
            Ok(deleted)
        })
        .await
    }

    /// One page of a tenant's records. Reads only that tenant's rows, in the order asked for, and
    /// as committed: a write acknowledged before the call is in it.
    pub async fn list_page(&self, tenant: &TenantRef, query: ListQuery) -> Result<Page, CoreError> {
        let (vendor, tenant) = (tenant.vendor, tenant.tenant.clone());
        self.read(move |connection| list_page(connection, vendor, &tenant, &query))
            .await
    }
}

fn list_page(
    connection: &rusqlite::Connection,
    vendor: &str,
    tenant: &str,
    query: &ListQuery,
) -> Result<Page, CoreError> {
    let (key, descending) = sort_key(query.order);
    let after = match &query.start {
        ListStart::After(cursor) if cursor.order == query.order => Some(&cursor.position),
        ListStart::After(_) => {
            return Err(CoreError::Storage(
                "a cursor of another order was handed to a listing".into(),
            ))
        }
        ListStart::First | ListStart::Offset(_) => None,
    };
    let mut skip = match query.start {
        ListStart::Offset(offset) => offset,
        _ => 0,
    };
    let mut page = Page::default();
    let mut matched = 0usize;
    let mut last: Option<Position> = None;
    let mut more = false;
    rows::scan(
        connection,
        vendor,
        tenant,
        key,
        descending,
        after,
        |listed| {
            if !query
                .filter
                .as_ref()
                .is_none_or(|accepts| accepts(&listed.record))
            {
                return Ok(true);
            }
            matched += 1;
            if skip > 0 {
                skip -= 1;
                return Ok(true);
            }
            if page.records.len() < query.limit {
                last = Some(position(query.order, &listed));
                page.records.push(Arc::new(listed.record));
                return Ok(true);
            }
            more = true;
            // Counting goes on to the end; otherwise one record past the page is enough.
            Ok(query.count_total)
        },
    )?;
    if more {
        page.next = last.map(|position| Cursor {
            order: query.order,
            position,
        });
    }
    if query.count_total {
        // Records before a keyset position were not scanned: count them too.
        let before = match after {
            None => 0,
            Some(_) => count_before(connection, vendor, tenant, query)?,
        };
        page.total = Some(matched + before);
    }
    Ok(page)
}

/// The records the filter accepts that sort before a keyset position (for a total).
fn count_before(
    connection: &rusqlite::Connection,
    vendor: &str,
    tenant: &str,
    query: &ListQuery,
) -> Result<usize, CoreError> {
    let (key, descending) = sort_key(query.order);
    let ListStart::After(cursor) = &query.start else {
        return Ok(0);
    };
    let mut before = 0;
    rows::scan(
        connection,
        vendor,
        tenant,
        key,
        descending,
        None,
        |listed| {
            if !ahead(query.order, &listed, &cursor.position) {
                if query
                    .filter
                    .as_ref()
                    .is_none_or(|accepts| accepts(&listed.record))
                {
                    before += 1;
                }
                return Ok(true);
            }
            Ok(false)
        },
    )?;
    Ok(before)
}

/// Whether a row sorts after a position, in the listing's direction.
fn ahead(order: ListOrder, listed: &Listed, position: &Position) -> bool {
    let mine = self::position(order, listed);
    let key = |at: &Position| (at.kind.clone(), at.time, at.row_id);
    match order {
        ListOrder::Created { descending: true } | ListOrder::Updated { descending: true } => {
            key(&mine) < key(position)
        }
        _ => key(&mine) > key(position),
    }
}
