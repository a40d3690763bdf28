//! The index folder: created, reused, rebuilt on analyzer or schema change and on
//! corruption, never wiped when it holds someone else's files.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;

use common::doc;
use nashir_search::{OpenState, SearchError, SearchIndex, SearchQuery};

const VERSION_FILE: &str = "nashir-search.version";

fn built(dir: &std::path::Path) {
    let (idx, state) = SearchIndex::open(dir).unwrap();
    assert!(state.needs_reindex());
    idx.rebuild([doc(1, "تونس", "نص عن تونس")].into_iter(), |_| {})
        .unwrap();
}

#[test]
fn created_then_ready_with_its_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("search");
    let (idx, state) = SearchIndex::open(&dir).unwrap();
    assert_eq!(state, OpenState::Created);
    idx.rebuild([doc(1, "تونس", "نص عن تونس")].into_iter(), |_| {})
        .unwrap();
    drop(idx);
    let (idx, state) = SearchIndex::open(&dir).unwrap();
    assert_eq!(state, OpenState::Ready);
    assert_eq!(idx.doc_count(), 1);
    assert_eq!(idx.search(&SearchQuery::new("تونس")).unwrap().total, 1);
}

#[test]
fn deleting_the_folder_means_created() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("search");
    built(&dir);
    fs::remove_dir_all(&dir).unwrap();
    let (idx, state) = SearchIndex::open(&dir).unwrap();
    assert_eq!(state, OpenState::Created);
    assert_eq!(idx.doc_count(), 0);
}

#[test]
fn another_analyzer_version_means_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("search");
    built(&dir);
    fs::write(
        dir.join(VERSION_FILE),
        "analyzer=ar_v0\nschema=1\ncomplete=true\n",
    )
    .unwrap();
    let (idx, state) = SearchIndex::open(&dir).unwrap();
    match state {
        OpenState::Rebuilt { reason } => assert!(reason.contains("ar_v0"), "{reason}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(idx.doc_count(), 0, "wiped: the caller reindexes");
}

#[test]
fn another_schema_version_or_an_unfinished_rebuild_means_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("search");
    built(&dir);
    let text = fs::read_to_string(dir.join(VERSION_FILE)).unwrap();
    fs::write(dir.join(VERSION_FILE), text.replace("schema=", "schema=9")).unwrap();
    assert!(matches!(
        SearchIndex::open(&dir).unwrap().1,
        OpenState::Rebuilt { .. }
    ));

    // Created but never rebuilt (the process died while reindexing).
    let (idx, _) = SearchIndex::open(&dir).unwrap();
    drop(idx);
    let (_, state) = SearchIndex::open(&dir).unwrap();
    match state {
        OpenState::Rebuilt { reason } => assert!(reason.contains("did not finish"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_version_file_or_corrupt_index_means_rebuilt() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("search");
    built(&dir);
    fs::remove_file(dir.join(VERSION_FILE)).unwrap();
    assert!(matches!(
        SearchIndex::open(&dir).unwrap().1,
        OpenState::Rebuilt { .. }
    ));

    built(&dir);
    fs::write(dir.join("meta.json"), "{ not json").unwrap();
    let (idx, state) = SearchIndex::open(&dir).unwrap();
    assert!(matches!(state, OpenState::Rebuilt { .. }), "{state:?}");
    idx.rebuild([doc(2, "جديد", "نص")].into_iter(), |_| {})
        .unwrap();
    assert_eq!(idx.doc_count(), 1);
}

#[test]
fn a_folder_of_other_files_is_never_wiped() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("nashir.db"), "precious").unwrap();
    match SearchIndex::open(tmp.path()) {
        Err(SearchError::NotAnIndex(_)) => {}
        other => panic!("{other:?}"),
    }
    assert_eq!(
        fs::read_to_string(tmp.path().join("nashir.db")).unwrap(),
        "precious"
    );
}

#[test]
fn a_second_writer_on_the_same_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("search");
    let (_first, _) = SearchIndex::open(&dir).unwrap();
    match SearchIndex::open(&dir) {
        Err(SearchError::Locked(path)) => assert_eq!(path, dir),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_rebuild_whose_source_fails_commits_nothing_and_asks_for_a_rebuild_next_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("search");
    built(&dir);
    let (idx, state) = SearchIndex::open(&dir).unwrap();
    assert_eq!(state, OpenState::Ready);
    let docs = vec![Ok(doc(2, "بغداد", "نص عن بغداد")), Err("the database went away")];
    let err = idx.try_rebuild(docs.into_iter(), |_| {}).unwrap_err();
    assert!(err.to_string().contains("the database went away"), "{err}");
    assert_eq!(idx.doc_count(), 1, "the old index is still searched");
    assert_eq!(idx.search(&SearchQuery::new("تونس")).unwrap().total, 1);
    drop(idx);
    let (_, state) = SearchIndex::open(&dir).unwrap();
    assert!(state.needs_reindex(), "{state:?}");
}
