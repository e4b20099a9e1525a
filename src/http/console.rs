//! The browser console: the files of `web/`, embedded in the binary at build time and
//! served at `/` (the page) and `/assets/{version}/{file}` (everything it loads).
//!
//! `version` is a digest of all the files, so a changed file changes every asset URL:
//! assets asked for under the current version may be cached for a year, while the page
//! is revalidated each time (`no-cache` with an ETag). Every answer carries a strict
//! Content-Security-Policy: scripts and styles come from this origin only, nothing is
//! inline, and nothing may frame the console.

use std::collections::HashMap;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

use crate::config::S3Config;
use crate::error::ApiError;

/// `(path under web/, contents)` of every file, listed by `build.rs`.
static FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/web_files.rs"));

/// The page; it names the assets' version where it says `%VERSION%`.
const INDEX: &str = "index.html";
const VERSION_MARK: &str = "%VERSION%";

const CACHE_FOREVER: &str = "public, max-age=31536000, immutable";
const CACHE_REVALIDATE: &str = "no-cache";

/// The console's files, ready to serve.
pub struct Console {
    version: String,
    index: Asset,
    assets: HashMap<&'static str, Asset>,
    csp: HeaderValue,
}

struct Asset {
    body: web::Bytes,
    content_type: &'static str,
    etag: HeaderValue,
}

impl Asset {
    fn new(name: &str, body: Vec<u8>) -> Asset {
        let digest = hex::encode(&Sha256::digest(&body)[..12]);
        Asset {
            content_type: content_type(name),
            etag: HeaderValue::from_str(&format!("\"{digest}\"")).expect("hex is a valid header"),
            body: body.into(),
        }
    }
}

impl Console {
    /// The embedded files, with a policy that also lets audio play from `media_origin`
    /// (the S3 server that pre-signed playback URLs point to).
    pub fn new(media_origin: Option<&str>) -> Console {
        let mut digest = Sha256::new();
        for (name, body) in FILES {
            digest.update(name.as_bytes());
            digest.update((body.len() as u64).to_le_bytes());
            digest.update(body);
        }
        let version = hex::encode(&digest.finalize()[..8]);
        let mut index = None;
        let mut assets = HashMap::new();
        for (name, body) in FILES {
            if *name == INDEX {
                let page = String::from_utf8_lossy(body).replace(VERSION_MARK, &version);
                index = Some(Asset::new(name, page.into_bytes()));
            } else {
                assets.insert(*name, Asset::new(name, body.to_vec()));
            }
        }
        Console {
            version,
            index: index.expect("web/index.html is embedded"),
            assets,
            csp: HeaderValue::from_str(&policy(media_origin)).expect("a valid policy header"),
        }
    }

    /// The digest that names the current assets.
    pub fn version(&self) -> &str {
        &self.version
    }

    fn answer(&self, req: &HttpRequest, asset: &Asset, cache: &'static str) -> HttpResponse {
        let unchanged = fresh(req, &asset.etag);
        let mut response = if unchanged {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header((header::ETAG, asset.etag.clone()))
            .insert_header((header::CACHE_CONTROL, cache))
            .insert_header((header::CONTENT_SECURITY_POLICY, self.csp.clone()))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"))
            .insert_header((header::REFERRER_POLICY, "no-referrer"))
            .insert_header((
                header::HeaderName::from_static("permissions-policy"),
                "microphone=(self), camera=(), geolocation=()",
            ));
        if unchanged {
            response.finish()
        } else {
            response
                .content_type(asset.content_type)
                .body(asset.body.clone())
        }
    }
}

/// Whether the client's copy (`If-None-Match`) is the current one.
fn fresh(req: &HttpRequest, etag: &HeaderValue) -> bool {
    let Some(tags) = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let current = etag.to_str().unwrap_or_default();
    tags.split(',')
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == "*" || tag == current)
}

/// The console's page (HTML; revalidated: `no-cache` with an ETag).
#[utoipa::path(get, path = "/", tag = "console",
    responses(
        (status = 200, description = "The page", content_type = "text/html"),
        (status = 304, description = "`If-None-Match` named the current page"),
    ))]
pub async fn index(console: web::Data<Console>, req: HttpRequest) -> HttpResponse {
    console.answer(&req, &console.index, CACHE_REVALIDATE)
}

/// A file the page loads. Under the current version it may be cached for a year; under
/// another version (a page loaded before an upgrade) it is today's file, revalidated.
#[utoipa::path(get, path = "/assets/{version}/{file}", tag = "console",
    params(
        ("version" = String, Path, description = "The digest the page names"),
        ("file" = String, Path, description = "A path under `web/`, such as `js/main.js`"),
    ),
    responses(
        (status = 200, description = "The file (JavaScript, CSS, SVG, manifest)"),
        (status = 304, description = "`If-None-Match` named the current file"),
        (status = 404, description = "`NOT_FOUND`: no such file", body = crate::error::ErrorEnvelope),
    ))]
pub async fn asset(
    console: web::Data<Console>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let (version, file) = path.into_inner();
    let asset = console
        .assets
        .get(file.as_str())
        .ok_or_else(|| ApiError::not_found("file"))?;
    let cache = if version == console.version {
        CACHE_FOREVER
    } else {
        CACHE_REVALIDATE
    };
    Ok(console.answer(&req, asset, cache))
}

/// The Content-Security-Policy of the console.
fn policy(media_origin: Option<&str>) -> String {
    let media = media_origin.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
         media-src 'self' blob:{media}; connect-src 'self'; manifest-src 'self'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

/// Where pre-signed playback URLs point (scheme, host and port), for the policy.
pub fn media_origin(s3: Option<&S3Config>) -> Option<String> {
    let s3 = s3?;
    let Some(endpoint) = &s3.endpoint else {
        let host = format!("s3.{}.amazonaws.com", s3.region);
        return Some(if s3.path_style {
            format!("https://{host}")
        } else {
            format!("https://{}.{host}", s3.bucket)
        });
    };
    let (scheme, rest) = endpoint.split_once("://")?;
    let authority = rest.split('/').next().filter(|a| !a.is_empty())?;
    Some(if s3.path_style {
        format!("{scheme}://{authority}")
    } else {
        format!("{scheme}://{}.{authority}", s3.bucket)
    })
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3(endpoint: Option<&str>, path_style: bool) -> S3Config {
        S3Config {
            bucket: "audio".into(),
            endpoint: endpoint.map(str::to_owned),
            region: "eu-west-1".into(),
            path_style,
            credentials: None,
        }
    }

    #[test]
    fn playback_urls_origin_follows_the_s3_addressing() {
        assert_eq!(media_origin(None), None);
        assert_eq!(
            media_origin(Some(&s3(Some("http://127.0.0.1:9014/"), true))).as_deref(),
            Some("http://127.0.0.1:9014")
        );
        assert_eq!(
            media_origin(Some(&s3(Some("https://minio.example.com"), false))).as_deref(),
            Some("https://audio.minio.example.com")
        );
        assert_eq!(
            media_origin(Some(&s3(None, false))).as_deref(),
            Some("https://audio.s3.eu-west-1.amazonaws.com")
        );
    }

    #[test]
    fn the_page_names_the_current_version_and_every_asset_exists() {
        let console = Console::new(None);
        let page = String::from_utf8(console.index.body.to_vec()).unwrap();
        assert!(!page.contains(VERSION_MARK));
        let prefix = format!("/assets/{}/", console.version());
        let named: Vec<&str> = page
            .split('"')
            .filter_map(|part| part.strip_prefix(prefix.as_str()))
            .collect();
        assert!(named.contains(&"js/main.js"), "{page}");
        for file in named {
            assert!(console.assets.contains_key(file), "{file} is not embedded");
        }
    }

    #[test]
    fn every_module_import_names_an_embedded_file() {
        let console = Console::new(None);
        for (name, body) in FILES.iter().filter(|(n, _)| n.ends_with(".js")) {
            let text = std::str::from_utf8(body).unwrap();
            let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
            for (_, rest) in text
                .match_indices("from '")
                .map(|(i, _)| text.split_at(i + 6))
            {
                let target = &rest[..rest.find('\'').unwrap()];
                let file = target
                    .strip_prefix("./")
                    .unwrap_or_else(|| panic!("{name}: not a relative import: {target}"));
                let path = if dir.is_empty() {
                    file.to_owned()
                } else {
                    format!("{dir}/{file}")
                };
                assert!(
                    console.assets.contains_key(path.as_str()),
                    "{name} imports {path}"
                );
            }
        }
    }

    #[test]
    fn the_console_has_a_sentence_for_every_error_code() {
        let (_, messages) = FILES.iter().find(|(n, _)| *n == "js/errors.js").unwrap();
        let messages = std::str::from_utf8(messages).unwrap();
        // The API's codes, and the socket's (the `code` module of the protocol).
        let protocol = include_str!("../actors/protocol.rs");
        let socket = &protocol[protocol.find("pub mod code {").unwrap()..];
        let codes: Vec<&str> = [include_str!("../error.rs"), socket]
            .iter()
            .flat_map(|source| source.lines())
            .filter_map(|l| l.trim().strip_prefix("pub const "))
            .filter_map(|l| l.split('"').nth(1))
            .collect();
        assert!(codes.len() > 30, "{codes:?}");
        for code in codes {
            assert!(
                messages.contains(&format!("\n  {code}: ")),
                "web/js/errors.js has no sentence for {code}"
            );
        }
    }

    #[test]
    fn the_policy_allows_nothing_inline() {
        let policy = policy(Some("http://127.0.0.1:9014"));
        assert!(!policy.contains("unsafe"));
        assert!(policy.contains("media-src 'self' blob: http://127.0.0.1:9014;"));
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
