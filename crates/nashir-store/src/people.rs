//! People: staff accounts and the bylines readers see. Emails stay inside the newsroom.

use nashir_core::{Person, Role};


use crate::{Event, Result, Store, StoreError, on_unique};

#[derive(Debug, Clone)]
pub struct NewPerson {
    pub slug: String,
    pub name: String,
    pub email: Option<String>,
    pub bio: String,
    pub role: Role,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: i64,
    slug: String,
    name: String,
    bio: String,
    role: String,
    email: Option<String>,
}

impl TryFrom<PersonRow> for Person {
    type Error = StoreError;
    fn try_from(r: PersonRow) -> Result<Self> {
        Ok(Person {
            id: r.id,
            slug: r.slug,
            name: r.name,
            bio: r.bio,
            role: r.role.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
            email: r.email,
        })
    }
}

const PERSON_COLUMNS: &str = "id, slug, name, bio, role, email";

impl Store {
    /// Adds a person; their byline and author page are public, so the change is an event.
    pub async fn create_person(&self, p: &NewPerson, now: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO people (slug, name, email, bio, role, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&p.slug)
        .bind(&p.name)
        .bind(p.email.as_deref())
        .bind(&p.bio)
        .bind(p.role.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("person slug or email"))?;
        self.record(&mut tx, Event::PersonChanged { id }, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn person(&self, id: i64) -> Result<Option<Person>> {
        sqlx::query_as::<_, PersonRow>(sqlx::AssertSqlSafe(format!("SELECT {PERSON_COLUMNS} FROM people WHERE id = $1")))
            .bind(id)
            .fetch_optional(self.db())
            .await?
            .map(Person::try_from)
            .transpose()
    }

    pub async fn person_by_slug(&self, slug: &str) -> Result<Option<Person>> {
        sqlx::query_as::<_, PersonRow>(sqlx::AssertSqlSafe(format!(
            "SELECT {PERSON_COLUMNS} FROM people WHERE slug = $1"
        )))
        .bind(slug)
        .fetch_optional(self.db())
        .await?
        .map(Person::try_from)
        .transpose()
    }
}
