//! Staff accounts and their server-side sessions, and the login failures that lock an
//! account or an address out for a while. Password hashes are made by the caller (web).

use nashir_core::{Person, Role};

use crate::{Event, Result, Store, StoreError, on_unique};

/// A person as the newsroom's user list shows them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StaffRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
    pub disabled: bool,
    pub has_password: bool,
}

#[derive(sqlx::FromRow)]
struct StaffListRow {
    id: i64,
    slug: String,
    name: String,
    email: Option<String>,
    #[sqlx(try_from = "String")]
    role: Role,
    disabled: i64,
    has_password: i64,
}

/// What login needs to check a password.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub person: Person,
    pub password_hash: Option<String>,
    pub disabled: bool,
}

#[derive(sqlx::FromRow)]
struct CredentialsRow {
    id: i64,
    slug: String,
    name: String,
    bio: String,
    role: String,
    email: Option<String>,
    password_hash: Option<String>,
    disabled: i64,
}

/// A live session: who, and the token forms must echo.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub person: Person,
    pub csrf_token: String,
    pub expires_at: i64,
}

impl Store {
    /// Adds a staff member with a password hash (or none: they set one later).
    pub async fn create_staff(
        &self,
        slug: &str,
        name: &str,
        email: &str,
        role: Role,
        password_hash: Option<&str>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO people (slug, name, email, bio, role, password_hash, created_at) \
             VALUES ($1, $2, $3, '', $4, $5, $6) RETURNING id",
        )
        .bind(slug)
        .bind(name)
        .bind(email)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("email"))?;
        self.record(&mut tx, Event::PersonChanged { id }, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn credentials_by_email(&self, email: &str) -> Result<Option<Credentials>> {
        let row = sqlx::query_as::<_, CredentialsRow>(
            "SELECT id, slug, name, bio, role, email, password_hash, disabled FROM people WHERE lower(email) = lower($1)",
        )
        .bind(email)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| {
            Ok(Credentials {
                person: Person {
                    id: r.id,
                    slug: r.slug,
                    name: r.name,
                    bio: r.bio,
                    role: r.role.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                    email: r.email,
                },
                password_hash: r.password_hash,
                disabled: r.disabled != 0,
            })
        })
        .transpose()
    }

    pub async fn password_hash(&self, person_id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> = sqlx::query_as("SELECT password_hash FROM people WHERE id = $1")
            .bind(person_id)
            .fetch_optional(self.db())
            .await?;
        Ok(row.and_then(|r| r.0))
    }

    /// Sets a new password and ends every other session of that person.
    pub async fn set_password(&self, person_id: i64, hash: &str, keep_session: Option<&str>) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE people SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE person_id = $1 AND token_hash <> $2")
            .bind(person_id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disabling ends the person's sessions in the same transaction: they are out at once.
    pub async fn set_disabled(&self, person_id: i64, disabled: bool) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE people SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE person_id = $1").bind(person_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_role(&self, person_id: i64, role: Role) -> Result<()> {
        sqlx::query("UPDATE people SET role = $1 WHERE id = $2")
            .bind(role.as_str())
            .bind(person_id)
            .execute(self.db())
            .await?;
        Ok(())
    }

    pub async fn staff_list(&self) -> Result<Vec<StaffRow>> {
        let rows = sqlx::query_as::<_, StaffListRow>(
            "SELECT id, slug, name, email, role, disabled, \
             CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS has_password FROM people WHERE integration = 0 ORDER BY name",
        )
        .fetch_all(self.db())
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| StaffRow {
                id: r.id,
                slug: r.slug,
                name: r.name,
                email: r.email,
                role: r.role,
                disabled: r.disabled != 0,
                has_password: r.has_password != 0,
            })
            .collect())
    }

    /// Administrators who can log in; none means the site still needs its setup link.
    pub async fn count_active_admins(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM people WHERE role = 'admin' AND disabled = 0 AND password_hash IS NOT NULL",
        )
        .fetch_one(self.db())
        .await?;
        Ok(n)
    }

    pub async fn create_session(&self, token_hash: &str, person_id: i64, csrf: &str, now: i64, expires_at: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, person_id, csrf_token, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token_hash)
        .bind(person_id)
        .bind(csrf)
        .bind(now)
        .bind(expires_at)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// The session for a cookie, if it is live and its person may still log in.
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionInfo>> {
        let row = sqlx::query_as::<_, (i64, String, String, String, String, Option<String>, String, i64)>(
            "SELECT p.id, p.slug, p.name, p.bio, p.role, p.email, s.csrf_token, s.expires_at \
             FROM sessions s JOIN people p ON p.id = s.person_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND p.disabled = 0",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(self.db())
        .await?;
        row.map(|(id, slug, name, bio, role, email, csrf_token, expires_at)| {
            Ok(SessionInfo {
                person: Person {
                    id,
                    slug,
                    name,
                    bio,
                    role: role.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))?,
                    email,
                },
                csrf_token,
                expires_at,
            })
        })
        .transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(self.db()).await?;
        Ok(())
    }

    pub async fn record_login_failure(&self, email: &str, address: &str, now: i64) -> Result<()> {
        sqlx::query("INSERT INTO login_failures (email, address, failed_at) VALUES ($1, $2, $3)")
            .bind(email.to_lowercase())
            .bind(address)
            .bind(now)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// The newest `n` failure times (newest first) for this account from this address, and
    /// for this address across accounts: enough to tell whether a lockout is in force.
    pub async fn recent_login_failures(&self, email: &str, address: &str, n: i64) -> Result<(Vec<i64>, Vec<i64>)> {
        let n = n.max(0);
        let pair: Vec<(i64,)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT failed_at FROM login_failures WHERE email = $1 AND address = $2 ORDER BY failed_at DESC LIMIT {n}"
        )))
        .bind(email.to_lowercase())
        .bind(address)
        .fetch_all(self.db())
        .await?;
        let all: Vec<(i64,)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT failed_at FROM login_failures WHERE address = $1 ORDER BY failed_at DESC LIMIT {n}"
            )))
            .bind(address)
                .fetch_all(self.db())
                .await?;
        Ok((pair.into_iter().map(|r| r.0).collect(), all.into_iter().map(|r| r.0).collect()))
    }

    /// A successful login forgets that account's failures from that address.
    pub async fn clear_login_failures(&self, email: &str, address: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE email = $1 AND address = $2")
            .bind(email.to_lowercase())
            .bind(address)
            .execute(self.db())
            .await?;
        Ok(())
    }
}
