//! Where the shared test material lives, and the skip rule when it is absent.
//! Owns the one path to `shared/data` and the helpers every data test repeats.

#![allow(dead_code)]

use std::path::PathBuf;

use nashir_import::{Item, WxrOptions, WxrReader, WxrRecord};

/// `/work/shared/data`: three levels up from this crate, then `shared/data`. `None`
/// (and a message saying so) only when the folder is absent; CI always has it.
pub fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if dir.is_dir() {
        return Some(dir);
    }
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    eprintln!("SKIPPED {test}: the shared test data is absent ({})", dir.display());
    // The test command counts the skips (see scripts/test).
    if let Some(log) = std::env::var_os("NASHIR_SKIP_LOG") {
        use std::io::Write;
        if let Ok(mut f) = std::fs::OpenOptions::new().create(true).append(true).open(log) {
            let _ = writeln!(f, "{test}");
        }
    }
    None
}

/// Every record of an export, panicking with the error's message if it is refused.
pub fn read_all(path: &std::path::Path, options: WxrOptions) -> Vec<WxrRecord> {
    WxrReader::open(path, options)
        .and_then(|reader| reader.collect::<Result<Vec<_>, _>>())
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn items(records: &[WxrRecord]) -> Vec<&Item> {
    records
        .iter()
        .filter_map(|r| match r {
            WxrRecord::Item(item) => Some(&**item),
            _ => None,
        })
        .collect()
}

pub fn item(records: &[WxrRecord], id: i64) -> &Item {
    items(records)
        .into_iter()
        .find(|i| i.source_id == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}
