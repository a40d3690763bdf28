//! Small key/value facts about the site's data, such as whether demo content was loaded.

use crate::{Result, Store};

impl Store {
    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM site_meta WHERE key = $1")
            .bind(key)
            .fetch_optional(self.db())
            .await?;
        Ok(row.map(|r| r.0))
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO site_meta (key, value) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(self.db())
        .await?;
        Ok(())
    }
}

impl Store {
    /// Sets a value only when the key is new: the first instance to create a secret wins.
    pub async fn set_meta_if_absent(&self, key: &str, value: &str) -> Result<()> {
        sqlx::query("INSERT INTO site_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(self.db())
            .await?;
        Ok(())
    }

    pub async fn delete_meta(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM site_meta WHERE key = $1").bind(key).execute(self.db()).await?;
        Ok(())
    }
}
