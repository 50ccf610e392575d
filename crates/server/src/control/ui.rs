//! The browser dashboard: `GET /_patchbay/ui` and its script and style sheet, embedded in the
//! binary (`crates/server/ui/`), plus `/` sending browsers there. The page only calls the control
//! API (journal, its stream, state, reset, faults), so it has the same access rules, and its
//! Content-Security-Policy allows nothing from another origin.

use actix_web::guard::GuardContext;
use actix_web::http::header::{self, HeaderValue};
use actix_web::HttpResponse;

const PAGE: &str = include_str!("../../ui/index.html");
const SCRIPT: &str = include_str!("../../ui/app.js");
const STYLE: &str = include_str!("../../ui/app.css");

/// Same origin only, no inline script or style, no frames, no form posts elsewhere.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

fn asset(content_type: &'static str, body: &'static str) -> HttpResponse {
    let mut response = HttpResponse::Ok().content_type(content_type).body(body);
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // A new binary may bring a new page: the browser asks again each time.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The dashboard (HTML)
#[utoipa::path(get, path = "/_patchbay/ui", tag = "ui",
    responses((status = 200, description = "The dashboard page", content_type = "text/html", body = String)))]
pub async fn page() -> HttpResponse {
    asset("text/html; charset=utf-8", PAGE)
}

/// The dashboard's script
#[utoipa::path(get, path = "/_patchbay/ui/app.js", tag = "ui",
    responses((status = 200, description = "JavaScript", content_type = "text/javascript", body = String)))]
pub async fn script() -> HttpResponse {
    asset("text/javascript; charset=utf-8", SCRIPT)
}

/// The dashboard's style sheet
#[utoipa::path(get, path = "/_patchbay/ui/app.css", tag = "ui",
    responses((status = 200, description = "CSS", content_type = "text/css", body = String)))]
pub async fn style() -> HttpResponse {
    asset("text/css; charset=utf-8", STYLE)
}

/// Whether the client asks for HTML by name (a browser), not just for anything (`*/*`).
pub fn wants_html(context: &GuardContext<'_>) -> bool {
    context
        .head()
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|media| {
            media
                .split(';')
                .next()
                .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("text/html"))
        })
}

/// `GET /` from a browser: to the dashboard.
pub async fn to_dashboard() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("{}/ui", super::PREFIX)))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn wants(accept: Option<&str>) -> bool {
        let mut request = TestRequest::default();
        if let Some(accept) = accept {
            request = request.insert_header((header::ACCEPT, accept));
        }
        let request = request.to_srv_request();
        wants_html(&request.guard_ctx())
    }

    #[test]
    fn only_a_client_naming_html_is_sent_to_the_dashboard() {
        assert!(wants(Some(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        )));
        assert!(wants(Some("Text/HTML")));
        assert!(!wants(Some("*/*")));
        assert!(!wants(Some("application/json")));
        assert!(!wants(None));
    }

    #[test]
    fn the_assets_forbid_every_other_origin() {
        let response = actix_web::rt::System::new().block_on(page());
        let policy = response
            .headers()
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default();
        assert!(policy.starts_with("default-src 'none'"), "{policy}");
        assert!(!policy.contains("http"), "{policy}");
        assert!(!PAGE.contains("http://") && !PAGE.contains("https://"));
        assert!(!SCRIPT.contains("http://") && !SCRIPT.contains("https://"));
    }
}
