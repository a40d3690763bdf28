//! Staff accounts and their sessions: creation, unique emails, credentials, sessions that
//! expire and end with a disabled account or a password change, and login failures.

use nashir_core::Role;
use nashir_store::{Store, StoreError};

use crate::both;
use crate::common::HOUR;

both!(accounts_have_unique_emails_and_typed_roles, |store: Store| async move {
    let now = nashir_store::now_micros();
    let id = store.create_staff("سلمى", "سلمى", "Salma@Example.com", Role::Editor, Some("hash"), now).await.expect("create");
    let again = store.create_staff("سلمى-2", "سلمى", "Salma@Example.com", Role::Author, None, now).await;
    assert!(matches!(again, Err(StoreError::Conflict("email"))), "{again:?}");
    let c = store.credentials_by_email("salma@example.com").await.expect("read").expect("found, whatever the case");
    assert_eq!((c.person.id, c.person.role, c.password_hash.as_deref(), c.disabled), (id, Role::Editor, Some("hash"), false));
    assert!(store.credentials_by_email("nobody@example.com").await.expect("read").is_none());
    let list = store.staff_list().await.expect("list");
    let row = list.iter().find(|r| r.id == id).expect("listed");
    assert_eq!((row.role, row.disabled, row.has_password), (Role::Editor, false, true));
    store.set_role(id, Role::Admin).await.expect("role");
    assert_eq!(store.count_active_admins().await.expect("admins"), 1);
    store.set_disabled(id, true).await.expect("disable");
    assert_eq!(store.count_active_admins().await.expect("admins"), 0, "a disabled administrator cannot set up the site");
});

both!(sessions_expire_and_end_with_the_account_or_a_password_change, |store: Store| async move {
    let now = nashir_store::now_micros();
    let id = store.create_staff("كاتب", "كاتب", "k@example.com", Role::Author, Some("hash"), now).await.expect("create");
    store.create_session("a", id, "csrf-a", now, now + HOUR).await.expect("a");
    store.create_session("b", id, "csrf-b", now, now + HOUR).await.expect("b");
    let s = store.session("a", now).await.expect("read").expect("live");
    assert_eq!((s.person.id, s.csrf_token.as_str()), (id, "csrf-a"));
    assert!(store.session("a", now + HOUR).await.expect("read").is_none(), "expired");
    assert!(store.session("unknown", now).await.expect("read").is_none());
    // A password change keeps the session that made it and ends the others.
    store.set_password(id, "new hash", Some("a")).await.expect("password");
    assert_eq!(store.password_hash(id).await.expect("hash").as_deref(), Some("new hash"));
    assert!(store.session("a", now).await.expect("read").is_some());
    assert!(store.session("b", now).await.expect("read").is_none());
    store.delete_session("a").await.expect("logout");
    assert!(store.session("a", now).await.expect("read").is_none());
    store.create_session("c", id, "csrf-c", now, now + HOUR).await.expect("c");
    store.set_disabled(id, true).await.expect("disable");
    assert!(store.session("c", now).await.expect("read").is_none(), "disabling ends every session at once");
    store.set_disabled(id, false).await.expect("enable");
    assert!(store.session("c", now).await.expect("read").is_none(), "and they stay ended");
});

both!(login_failures_are_counted_per_pair_and_per_address, |store: Store| async move {
    let now = nashir_store::now_micros();
    for i in 0..3 {
        store.record_login_failure("A@example.com", "10.0.0.1", now + i).await.expect("failure");
    }
    store.record_login_failure("b@example.com", "10.0.0.1", now + 10).await.expect("failure");
    store.record_login_failure("a@example.com", "10.0.0.2", now + 11).await.expect("failure");
    let (pair, address) = store.recent_login_failures("a@example.com", "10.0.0.1", 20).await.expect("read");
    assert_eq!(pair, vec![now + 2, now + 1, now], "newest first, emails compared without case");
    assert_eq!(address, vec![now + 10, now + 2, now + 1, now]);
    let (limited, _) = store.recent_login_failures("a@example.com", "10.0.0.1", 2).await.expect("read");
    assert_eq!(limited.len(), 2);
    store.clear_login_failures("a@example.com", "10.0.0.1").await.expect("clear");
    let (pair, address) = store.recent_login_failures("a@example.com", "10.0.0.1", 20).await.expect("read");
    assert!(pair.is_empty());
    assert_eq!(address, vec![now + 10], "another account's failures from the address stay");
});
