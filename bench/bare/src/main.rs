//! The benchmark baseline: a bare actix-web handler with no storage, no auth
//! and no middleware. `bench/run.sh` drives it with the same load as patchbay
//! so that patchbay's numbers can be read as a fraction of what the HTTP stack
//! alone can do on the same machine.
//!
//! Usage: `patchbay-bench-bare 127.0.0.1:PORT` (port 0 picks a free port).
//! The first line on stdout is `listening on http://ADDR` with the real port.

use std::io::Write;

use actix_web::{web, App, HttpResponse, HttpServer};
use serde_json::json;

const DEFAULT_BIND: &str = "127.0.0.1:0";

/// Builds a response body shaped like patchbay's integration record.
fn integration_body(key: &str) -> HttpResponse {
    let body = json!({
        "data": {
            "unique_key": key,
            "provider": "github",
            "display_name": "GitHub",
            "logo": "http://localhost:3003/images/template-logos/github.svg",
            "forward_webhooks": true,
            "created_at": "2025-01-06T09:00:00.000Z",
            "updated_at": "2025-01-06T09:00:00.000Z"
        }
    });
    HttpResponse::Ok().json(body)
}

async fn get_integration(key: web::Path<String>) -> HttpResponse {
    integration_body(&key)
}

async fn patch_integration(key: web::Path<String>, body: web::Bytes) -> HttpResponse {
    // The body is read (actix buffers it into `Bytes`) but not interpreted:
    // the baseline measures the HTTP stack, not JSON parsing or storage.
    let _ = body.len();
    integration_body(&key)
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let bind = std::env::args()
        .nth(1)
        .unwrap_or_else(|| DEFAULT_BIND.to_owned());

    let server = HttpServer::new(|| {
        App::new().service(
            web::resource("/integrations/{key}")
                .route(web::get().to(get_integration))
                .route(web::patch().to(patch_integration)),
        )
    })
    .bind(&bind)?;

    let addr = server
        .addrs()
        .first()
        .copied()
        .ok_or_else(|| std::io::Error::other(format!("no address bound for {bind}")))?;

    {
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{addr}")?;
        stdout.flush()?;
    }

    server.run().await
}
