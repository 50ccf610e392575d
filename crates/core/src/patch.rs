//! A partial-update value: keep what is stored, clear it, or set a new value.

/// Tri-state field of a partial update. `Option<Option<T>>` says the same thing less clearly.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Leave the stored value as it is (the field was not sent).
    #[default]
    Keep,
    /// Remove the stored value.
    Clear,
    /// Replace the stored value.
    Set(T),
}

impl<T> Patch<T> {
    /// Applies the patch to an optional stored value.
    pub fn apply_to(self, slot: &mut Option<T>) {
        match self {
            Patch::Keep => {}
            Patch::Clear => *slot = None,
            Patch::Set(value) => *slot = Some(value),
        }
    }

    pub fn is_keep(&self) -> bool {
        matches!(self, Patch::Keep)
    }
}

impl<T> From<Option<T>> for Patch<T> {
    /// `None` keeps, `Some` sets: the usual reading of an optional field in a request body.
    fn from(value: Option<T>) -> Self {
        value.map_or(Patch::Keep, Patch::Set)
    }
}

#[cfg(test)]
mod tests {
    use super::Patch;

    #[test]
    fn each_state_applies_as_named() {
        let cases = [
            (Patch::Keep, Some(1), Some(1)),
            (Patch::Keep, None, None),
            (Patch::Clear, Some(1), None),
            (Patch::Set(2), Some(1), Some(2)),
            (Patch::Set(2), None, Some(2)),
        ];
        for (patch, before, after) in cases {
            let mut slot = before;
            patch.clone().apply_to(&mut slot);
            assert_eq!(slot, after, "{patch:?} applied to {before:?}");
        }
    }
}

/// A partial update of an [`crate::Integration`], built by an adapter's merge rule and applied by the
/// store inside the update's transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntegrationPatch {
    /// A new id (a rename).
    pub id: Patch<String>,
    /// Changes to named attributes, applied in order.
    pub attributes: Vec<(String, Patch<serde_json::Value>)>,
    pub credential: Patch<crate::Credential>,
}

impl IntegrationPatch {
    pub fn set(&mut self, attribute: &str, value: serde_json::Value) {
        self.attributes
            .push((attribute.to_string(), Patch::Set(value)));
    }

    pub fn clear(&mut self, attribute: &str) {
        self.attributes.push((attribute.to_string(), Patch::Clear));
    }
}

impl crate::Integration {
    /// Applies a patch: what it keeps stays, what it clears goes, what it sets replaces.
    pub fn apply(&mut self, patch: IntegrationPatch) {
        if let Patch::Set(id) = patch.id {
            self.id = id;
        }
        for (name, change) in patch.attributes {
            match change {
                Patch::Keep => {}
                Patch::Clear => {
                    self.attributes.shift_remove(&name);
                }
                Patch::Set(value) => {
                    self.attributes.insert(name, value);
                }
            }
        }
        patch.credential.apply_to(&mut self.credential);
    }
}
