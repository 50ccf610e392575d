//! Who may use the control API: clients of the configured networks (`control.allow_networks`);
//! with an admin token configured, whoever presents it as a bearer token (from any address);
//! without one, clients on the loopback interface. `/_patchbay/health` answers everyone, so a
//! container's health check needs no secret.

use super::error;
use crate::plane::ControlPlane;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web;
use ipnet::IpNet;
use std::net::SocketAddr;

/// Open to every client: it tells only that the server is up and its version.
const HEALTH: &str = "/_patchbay/health";

pub async fn guard(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let plane = request.app_data::<web::Data<ControlPlane>>();
    let token = plane.and_then(|plane| plane.admin_token.clone());
    let networks = plane.map_or(&[][..], |plane| plane.control_networks.as_slice());
    let authorization = request
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok());
    let peer = request.peer_addr();
    let refusal = if request.path() == HEALTH || from_allowed_network(networks, peer) {
        None
    } else {
        refusal(token.as_deref(), authorization, peer)
    };
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
                "the control API answers loopback clients only; start patchbay with --admin-token, or list its network in control.allow_networks, to reach it from elsewhere",
            ))
        }
    }
}

fn from_allowed_network(networks: &[IpNet], peer: Option<SocketAddr>) -> bool {
    peer.is_some_and(|peer| {
        let address = peer.ip().to_canonical();
        networks.iter().any(|network| network.contains(&address))
    })
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
    fn allowed_networks_admit_their_clients_only() {
        let networks: Vec<IpNet> = ["10.0.0.0/8", "fd00::/8"]
            .iter()
            .map(|network| network.parse().expect("a network"))
            .collect();
        assert!(from_allowed_network(&networks, peer("10.1.2.3:5000")));
        assert!(from_allowed_network(
            &networks,
            peer("[::ffff:10.1.2.3]:5000")
        ));
        assert!(from_allowed_network(&networks, peer("[fd12::1]:5000")));
        assert!(!from_allowed_network(&networks, peer("11.0.0.1:5000")));
        assert!(!from_allowed_network(&networks, peer("127.0.0.1:5000")));
        assert!(!from_allowed_network(&networks, None));
        assert!(!from_allowed_network(&[], peer("10.1.2.3:5000")));
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
