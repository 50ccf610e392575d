//! The rules of creating and deleting connectors and credentials, as pure functions of the request
//! and of what the store's transaction sees, so that each check and its write are one atomic step.
//!
//! - A connector is created with its primary credential when its settings carry the provider
//!   application's client id and secret; that credential becomes its `active_credential_id`.
//!   One connector per provider per application (the store refuses the second id).
//! - A credential needs its connector, and a name no other credential of the connector holds,
//!   except that a request with the same name, type and data as an existing credential gets that
//!   credential back ("Nylas uses that connector credential instead of creating one").
//! - The active credential cannot be deleted; deleting a connector deletes its credentials.

use crate::error::{
    connector_not_found, credential_not_found, name_taken, not_a_credential_of, NylasError,
};
use crate::record::{self, ConnectorFields};
use crate::wire::{NewConnector, NewCredential};
use patchbay_core::{CoreError, Integration};

/// Whether creating this connector also creates a primary credential (and so needs its id).
pub fn creates_primary_credential(request: &NewConnector) -> bool {
    request
        .settings
        .as_ref()
        .and_then(record::primary_credential_data)
        .is_some()
}

/// The records a connector create stores: the connector, then its primary credential (with id
/// `primary_id`) when its settings make one.
pub fn new_connector_records(
    request: &NewConnector,
    primary_id: &str,
) -> Result<Vec<Integration>, NylasError> {
    let provider = request.provider;
    // A connector that does not exist yet has no credentials, so no id can name one of them.
    if let Some(active) = &request.active_credential_id {
        return Err(not_a_credential_of(active, provider));
    }
    let settings = request.settings.clone().unwrap_or_default();
    let primary = record::primary_credential_data(&settings);
    let connector = record::new_connector(
        provider,
        ConnectorFields {
            name: request
                .name
                .clone()
                .unwrap_or_else(|| record::default_connector_name(provider)),
            settings,
            scope: request.scope.clone().unwrap_or_default(),
            active_credential_id: primary.as_ref().map(|_| primary_id.to_string()),
        },
    );
    let mut records = vec![connector];
    if let Some(data) = primary {
        records.push(record::new_credential(
            primary_id.to_string(),
            provider,
            record::PRIMARY_CREDENTIAL_NAME.to_string(),
            "connector",
            data,
        ));
    }
    Ok(records)
}

/// Why a credential create wrote nothing: refused, or answered by a credential that exists.
#[derive(Debug)]
pub enum CredentialNotCreated {
    Refused(NylasError),
    /// The same name, type and data as this credential of the connector.
    Existing(Box<Integration>),
}

impl From<CoreError> for CredentialNotCreated {
    fn from(error: CoreError) -> Self {
        CredentialNotCreated::Refused(error.into())
    }
}

impl From<NylasError> for CredentialNotCreated {
    fn from(error: NylasError) -> Self {
        CredentialNotCreated::Refused(error)
    }
}

/// The credential a create stores, with id `id`, given whether `provider`'s connector exists and
/// its credentials as the transaction sees them. A request that chose its id always wants a new
/// credential, so it is never answered by an existing one.
pub fn new_credential_record(
    request: &NewCredential,
    id: String,
    provider: &str,
    connector_exists: bool,
    siblings: &[Integration],
) -> Result<Integration, CredentialNotCreated> {
    if !connector_exists {
        return Err(connector_not_found(provider).into());
    }
    let same_name = siblings
        .iter()
        .find(|sibling| record::name(sibling) == Some(request.name.as_str()));
    if let Some(sibling) = same_name {
        let same_parameters = record::credential_type(sibling) == request.credential_type
            && record::credential_data(sibling) == Some(&request.credential_data);
        return Err(if same_parameters {
            CredentialNotCreated::Existing(Box::new(sibling.clone()))
        } else {
            name_taken(&request.name, provider).into()
        });
    }
    Ok(record::new_credential(
        id,
        provider,
        request.name.clone(),
        &request.credential_type,
        request.credential_data.clone(),
    ))
}

/// Whether a stored record may be deleted as a credential of `provider`'s connector (`connector`,
/// if it exists): it must be one of that connector's credentials, and not its active one.
pub fn check_credential_deletion(
    stored: &Integration,
    provider: &str,
    connector: Option<&Integration>,
) -> Result<(), NylasError> {
    if !record::is_credential_of(stored, provider) {
        return Err(credential_not_found(&stored.id));
    }
    if connector.and_then(record::active_credential_id) == Some(stored.id.as_str()) {
        return Err(NylasError::InvalidRequest(format!(
            "Credential \"{}\" is the active credential of connector {provider} and cannot be deleted",
            stored.id
        )));
    }
    Ok(())
}

/// The ids of `provider`'s credentials among `records`: what deleting its connector deletes too.
pub fn credentials_of(provider: &str, records: &[Integration]) -> Vec<String> {
    records
        .iter()
        .filter(|other| record::is_credential_of(other, provider))
        .map(|other| other.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Map, Value};

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap_or_default()
    }

    fn connector_request(provider: &'static str, settings: Option<Value>) -> NewConnector {
        NewConnector {
            provider,
            name: None,
            settings: settings.map(object),
            scope: None,
            active_credential_id: None,
        }
    }

    #[test]
    fn a_connector_with_client_credentials_comes_with_its_active_primary_credential() {
        let request = connector_request(
            "google",
            Some(json!({"client_id": "i", "client_secret": "s", "topic_name": "t"})),
        );
        assert!(creates_primary_credential(&request));
        let records = new_connector_records(&request, "p-1").expect("records");
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].id, "connector:google");
        assert_eq!(record::name(&records[0]), Some("Google Connector"));
        assert_eq!(record::active_credential_id(&records[0]), Some("p-1"));
        assert_eq!(records[1].id, "p-1");
        assert!(record::is_credential_of(&records[1], "google"));
        assert_eq!(record::name(&records[1]), Some("Primary credential"));
        assert_eq!(record::credential_type(&records[1]), "connector");
        assert_eq!(
            record::credential_data(&records[1]),
            Some(&object(
                json!({"client_id": "i", "client_secret": "s", "topic_name": "t"})
            ))
        );
    }

    #[test]
    fn a_connector_without_client_credentials_has_no_credential() {
        let request = connector_request("imap", None);
        assert!(!creates_primary_credential(&request));
        let records = new_connector_records(&request, "unused").expect("records");
        assert_eq!(records.len(), 1);
        assert_eq!(record::name(&records[0]), Some("IMAP Connector"));
        assert_eq!(record::active_credential_id(&records[0]), None);
    }

    #[test]
    fn a_new_connector_cannot_name_an_active_credential() {
        let request = NewConnector {
            active_credential_id: Some("c".into()),
            ..connector_request("imap", None)
        };
        assert_eq!(
            new_connector_records(&request, "p")
                .expect_err("refused")
                .to_string(),
            "Credential \"c\" is not a credential of connector imap"
        );
    }

    fn credential_request(name: &str, data: Value) -> NewCredential {
        NewCredential {
            name: name.into(),
            credential_type: "connector".into(),
            credential_data: object(data),
        }
    }

    fn outcome(result: Result<Integration, CredentialNotCreated>) -> String {
        match result {
            Ok(created) => format!("created {}", created.id),
            Err(CredentialNotCreated::Existing(existing)) => format!("existing {}", existing.id),
            Err(CredentialNotCreated::Refused(error)) => format!("refused: {error}"),
        }
    }

    #[test]
    fn credential_creation_needs_the_connector_and_a_free_name() {
        let data = json!({"client_id": "i", "client_secret": "s"});
        let sibling = record::new_credential(
            "old".into(),
            "google",
            "Taken".into(),
            "connector",
            object(data.clone()),
        );
        let siblings = [sibling];
        let create = |request: NewCredential, exists: bool| {
            outcome(new_credential_record(
                &request,
                "new".into(),
                "google",
                exists,
                &siblings,
            ))
        };
        assert_eq!(
            create(credential_request("Fresh", data.clone()), true),
            "created new"
        );
        assert_eq!(
            create(credential_request("Fresh", data.clone()), false),
            "refused: Connector \"google\" not found"
        );
        // LIFECYCLE.md §3.1: the same parameters give the existing credential back.
        assert_eq!(
            create(credential_request("Taken", data.clone()), true),
            "existing old"
        );
        assert_eq!(
            create(
                credential_request("Taken", json!({"client_id": "j", "client_secret": "s"})),
                true
            ),
            "refused: A credential named \"Taken\" already exists for connector google"
        );
    }

    #[test]
    fn the_active_credential_cannot_be_deleted() {
        let connector = record::new_connector(
            "google",
            ConnectorFields {
                name: "Google Connector".into(),
                settings: Map::new(),
                scope: Vec::new(),
                active_credential_id: Some("active".into()),
            },
        );
        let credential = |id: &str, provider: &str| {
            record::new_credential(id.into(), provider, id.into(), "connector", Map::new())
        };
        let active = credential("active", "google");
        let other = credential("other", "google");
        assert!(check_credential_deletion(&other, "google", Some(&connector)).is_ok());
        assert!(check_credential_deletion(&active, "google", None).is_ok());
        assert_eq!(
            check_credential_deletion(&active, "google", Some(&connector))
                .expect_err("refused")
                .to_string(),
            "Credential \"active\" is the active credential of connector google and cannot be deleted"
        );
        assert_eq!(
            check_credential_deletion(&other, "microsoft", None)
                .expect_err("another connector's")
                .to_string(),
            "Credential \"other\" not found"
        );
        assert_eq!(
            check_credential_deletion(&connector, "google", None)
                .expect_err("a connector is no credential")
                .to_string(),
            "Credential \"connector:google\" not found"
        );
        assert_eq!(
            credentials_of(
                "google",
                &[
                    active,
                    connector.clone(),
                    credential("zoom-one", "zoom"),
                    other
                ]
            ),
            ["active", "other"]
        );
    }
}
