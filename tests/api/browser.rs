//! The web console in a real browser: `tests/browser/console.test.mjs` drives Debian's
//! Chromium (through Playwright) against a server started here, on both backends.
//!
//! Needs Node.js, Chromium (`/usr/bin/chromium`, or `CHROMIUM`) and the test's npm
//! packages (`npm ci --prefix tests/browser`). Without them the test is skipped, or
//! fails under `WAQUP_TEST_REQUIRE_SERVICES=1`. Screenshots of every screen are left in
//! `target/tmp/browser/{backend}/`.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use crate::backend_tests;
use crate::helpers::{Backend, PASSWORD, TestApp, skip};

backend_tests!(the_console_works_end_to_end_in_chromium);

/// The whole journey takes well under a minute; this only stops a hung browser.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"))
}

/// What the browser test needs, or why it cannot run here.
fn browser_ready(dir: &Path) -> Result<(), String> {
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Err("Node.js (`node`)".into());
    }
    if !chromium().exists() {
        return Err(format!("Chromium at {}", chromium().display()));
    }
    if !dir.join("node_modules/playwright-core").exists() {
        return Err("the browser test's packages (`npm ci --prefix tests/browser`)".into());
    }
    Ok(())
}

async fn the_console_works_end_to_end_in_chromium(backend: Backend) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if let Err(missing) = browser_ready(&dir) {
        skip(&missing);
        return;
    }
    let Some(app) = TestApp::spawn(backend).await else {
        return;
    };
    let admin_email = format!("admin-{}@example.com", uuid::Uuid::new_v4().simple());
    app.create_account(&admin_email, waqup::domain::Role::Admin)
        .await;

    let backend_name = match backend {
        Backend::Embedded => "embedded",
        Backend::Services => "services",
    };
    let screenshots = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(backend_name);
    let _ = std::fs::remove_dir_all(&screenshots);
    std::fs::create_dir_all(&screenshots).unwrap();

    let child = tokio::process::Command::new("node")
        .arg("console.test.mjs")
        .current_dir(&dir)
        .env("WAQUP_URL", &app.address)
        .env("WAQUP_ADMIN_EMAIL", &admin_email)
        .env("WAQUP_ADMIN_PASSWORD", PASSWORD)
        .env("WAQUP_SCREENSHOTS", &screenshots)
        .env(
            "WAQUP_SPOKEN_REPLIES",
            if app.state.engine.deps.speaker.available() {
                "1"
            } else {
                "0"
            },
        )
        .env("CHROMIUM", chromium())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("start node");
    let output = tokio::time::timeout(BROWSER_TIMEOUT, child.wait_with_output())
        .await
        .expect("the browser test finishes within 5 minutes")
        .expect("the browser test's output");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "the browser test failed ({}); screenshots in {}\n{stdout}\n{stderr}",
        output.status,
        screenshots.display()
    );
    for screen in [
        "sign-in",
        "conversation",
        "summary",
        "item",
        "library",
        "shared",
        "creator",
        "catalog",
        "pack",
        "credits",
        "admin",
        "desktop-library",
    ] {
        let shot = screenshots.join(format!("{screen}.png"));
        let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 1000,
            "no screenshot of {screen} at {}",
            shot.display()
        );
    }
}
