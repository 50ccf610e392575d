//! Who may use the control API: with an admin token configured, whoever presents it as a bearer
//! token (from any address); without one, only clients on the loopback interface.

use super::error;
use crate::plane::ControlPlane;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web;
use std::net::SocketAddr;

pub async fn guard(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let token = request
        .app_data::<web::Data<ControlPlane>>()
        .and_then(|plane| plane.admin_token.clone());
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok());
    let refusal = refusal(token.as_deref(), authorization, request.peer_addr());
    match refusal {
        None => next
            .call(request)
            .await
            .map(ServiceResponse::map_into_boxed_body),
        Some((status, message)) => {
            let mut response = error(status, message);
            if status == StatusCode::UNAUTHORIZED {
                response.headers_mut().insert(
                    actix_web::http::header::WWW_AUTHENTICATE,
                    actix_web::http::header::HeaderValue::from_static("Bearer"),
                );
            }
            Ok(request.into_response(response))
        }
    }
}

/// Why a client may not use the control API, if it may not.
fn refusal(
    token: Option<&str>,
    authorization: Option<&str>,
    peer: Option<SocketAddr>,
) -> Option<(StatusCode, &'static str)> {
    match token {
        Some(token) => match authorization.and_then(|value| value.strip_prefix("Bearer ")) {
            Some(presented) if same(presented.as_bytes(), token.as_bytes()) => None,
            Some(_) => Some((StatusCode::UNAUTHORIZED, "the admin token is wrong")),
            None => Some((
                StatusCode::UNAUTHORIZED,
                "the control API needs `Authorization: Bearer <admin token>`",
            )),
        },
        None => {
            let loopback = peer.is_some_and(|peer| peer.ip().to_canonical().is_loopback());
            (!loopback).then_some((
                StatusCode::FORBIDDEN,
                "the control API answers loopback clients only; start patchbay with --admin-token to reach it from elsewhere",
            ))
        }
    }
}

/// Compares in time that depends only on the lengths, not on where the bytes differ.
fn same(presented: &[u8], expected: &[u8]) -> bool {
    presented.len() == expected.len()
        && presented
            .iter()
            .zip(expected)
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(address: &str) -> Option<SocketAddr> {
        Some(address.parse().expect("an address"))
    }

    #[test]
    fn without_a_token_only_loopback_clients_pass() {
        assert_eq!(refusal(None, None, peer("127.0.0.1:5000")), None);
        assert_eq!(refusal(None, None, peer("[::1]:5000")), None);
        assert_eq!(refusal(None, None, peer("[::ffff:127.0.0.1]:5000")), None);
        let refused = refusal(None, Some("Bearer x"), peer("10.0.0.7:5000"));
        assert_eq!(
            refused.map(|(status, _)| status),
            Some(StatusCode::FORBIDDEN)
        );
        assert!(refusal(None, None, None).is_some());
    }

    #[test]
    fn with_a_token_every_client_must_present_it() {
        let token = Some("s3cret-admin");
        assert_eq!(
            refusal(token, Some("Bearer s3cret-admin"), peer("10.0.0.7:5000")),
            None
        );
        for authorization in [
            None,
            Some("Bearer wrong"),
            Some("s3cret-admin"),
            Some("Bearer s3cret-admin2"),
        ] {
            let refused = refusal(token, authorization, peer("127.0.0.1:5000"));
            assert_eq!(
                refused.map(|(status, _)| status),
                Some(StatusCode::UNAUTHORIZED),
                "{authorization:?}"
            );
        }
    }
}
