//! `user import`'s CSV reader against a real SQLite store: every input imports or gives an
//! error naming its line; never a panic. Each input runs in a transaction that is rolled
//! back, so inputs do not see each other's accounts.
#![no_main]

use std::cell::RefCell;

use libfuzzer_sys::fuzz_target;
use twofa::store::{OpenMode, Store};

thread_local! {
    static STORE: RefCell<(tempfile::TempDir, Box<dyn Store>)> = RefCell::new({
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = twofa::store::open(dir.path().join("fuzz.db").to_str().unwrap(), OpenMode::Create).unwrap();
        let mut tx = store.begin().unwrap();
        tx.add_org("acme", None, 0).unwrap();
        tx.commit().unwrap();
        (dir, store)
    });
}

fuzz_target!(|data: &[u8]| {
    STORE.with(|cell| {
        let mut guard = cell.borrow_mut();
        let mut tx = guard.1.begin().unwrap();
        let added = twofa::model::Event::new(0, "fuzz", "user.add");
        match twofa::commands::users::import_rows(tx.as_mut(), Box::new(data), &added, &mut || {}) {
            Ok(_) => {}
            Err(e) => {
                let msg = format!("{e:#}");
                assert!(msg.starts_with("line "), "error without a line: {msg}");
            }
        }
        drop(tx);
    });
});
