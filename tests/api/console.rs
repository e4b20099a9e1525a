//! How the console's files are served: the page, versioned assets, caching, the policy.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG, IF_NONE_MATCH};

use crate::helpers::{Backend, TestApp, expect_error};

/// The asset URLs the page names, such as `/assets/0123abcd/js/main.js`.
fn asset_urls(page: &str) -> Vec<String> {
    page.split('"')
        .filter(|part| part.starts_with("/assets/"))
        .map(str::to_owned)
        .collect()
}

#[actix_web::test]
async fn the_page_and_its_assets_are_served_with_caching_and_a_strict_policy() {
    let Some(app) = TestApp::spawn(Backend::Embedded).await else {
        return;
    };
    let page = app.get("/", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let headers = page.headers().clone();
    assert_eq!(headers[CONTENT_TYPE], "text/html; charset=utf-8");
    assert_eq!(headers[CACHE_CONTROL], "no-cache");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let policy = headers[CONTENT_SECURITY_POLICY].to_str().unwrap();
    assert!(policy.contains("script-src 'self';"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(!policy.contains("unsafe"), "{policy}");
    let etag = headers[ETAG].clone();
    let html = page.text().await.unwrap();
    assert!(!html.contains("%VERSION%"));
    // Nothing inline: no script bodies, no style attributes or elements.
    assert!(
        !html.contains("<style") && !html.contains("style="),
        "{html}"
    );
    assert!(html.contains("<script type=\"module\" src=\"/assets/"));

    // The page again, as a browser revalidates it: 304 with no body.
    let again = app
        .client
        .get(app.url("/"))
        .header(IF_NONE_MATCH, etag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()[ETAG], etag);
    assert!(again.bytes().await.unwrap().is_empty());

    let urls = asset_urls(&html);
    assert!(urls.len() >= 4, "{urls:?}");
    for url in &urls {
        let asset = app.get(url, None).await;
        assert_eq!(asset.status(), StatusCode::OK, "{url}");
        assert_eq!(
            asset.headers()[CACHE_CONTROL],
            "public, max-age=31536000, immutable",
            "{url}"
        );
        let kind = asset.headers()[CONTENT_TYPE].to_str().unwrap().to_owned();
        let expected = match url.rsplit('.').next().unwrap() {
            "js" => "text/javascript; charset=utf-8",
            "css" => "text/css; charset=utf-8",
            "svg" => "image/svg+xml",
            "webmanifest" => "application/manifest+json",
            other => panic!("an unexpected asset type {other}"),
        };
        assert_eq!(kind, expected, "{url}");
        assert!(!asset.bytes().await.unwrap().is_empty());
    }

    // A page from before an upgrade asks for an older version: today's file, revalidated.
    let main = urls.iter().find(|u| u.ends_with("/js/main.js")).unwrap();
    let version = main.split('/').nth(2).unwrap();
    let old = app
        .get(&main.replace(version, "0000000000000000"), None)
        .await;
    assert_eq!(old.status(), StatusCode::OK);
    assert_eq!(old.headers()[CACHE_CONTROL], "no-cache");

    // No such file, and the page is not an asset.
    for missing in [
        format!("/assets/{version}/js/nothing.js"),
        format!("/assets/{version}/index.html"),
        format!("/assets/{version}/../Cargo.toml"),
    ] {
        expect_error(
            app.get(&missing, None).await,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
        )
        .await;
    }
    // HEAD answers like GET, without a body.
    let head = app.client.head(app.url("/")).send().await.unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers()[ETAG], etag);
}
