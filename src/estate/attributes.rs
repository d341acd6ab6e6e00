//! An ordered attribute list, stored compactly.

use serde::ser::{Serialize, SerializeMap, Serializer};

/// Every `name=value` a host printed for one object, in the host's order, repeats kept.
///
/// Detail views show all of them, and estates hold thousands of objects with dozens of
/// attributes each, so names and values share one buffer instead of two allocations per
/// pair.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    text: String,
    /// (name start, name end, value start, value end) into `text`.
    spans: Vec<[u32; 4]>,
}

impl Attributes {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty list with room for `fields` pairs of `bytes` in total.
    pub fn with_capacity(fields: usize, bytes: usize) -> Self {
        Attributes {
            text: String::with_capacity(bytes),
            spans: Vec::with_capacity(fields),
        }
    }

    /// Appends a pair.
    pub fn push(&mut self, name: &str, value: &str) {
        let start = self.text.len() as u32;
        self.text.push_str(name);
        let value_start = self.text.len() as u32;
        self.text.push_str(value);
        self.spans
            .push([start, value_start, value_start, self.text.len() as u32]);
    }

    /// Builds the list over a host line kept whole (`name=value,...`): `spans` give
    /// (name start, name end, value start, value end) in `line`. This costs one copy
    /// of the line instead of one per pair, which matters on the refresh path.
    ///
    /// Every span must lie on character boundaries of `line` (the HMC grammar cuts at
    /// ASCII `,` and `=`, which always are).
    pub(crate) fn from_line(line: String, spans: Vec<[u32; 4]>) -> Self {
        debug_assert!(spans.iter().all(|&[a, b, c, d]| a <= b
            && c <= d
            && [a, b, c, d]
                .iter()
                .all(|&at| line.is_char_boundary(at as usize))));
        Attributes { text: line, spans }
    }

    /// The value of the first attribute called `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(key, _)| *key == name).map(|(_, v)| v)
    }

    /// All pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.spans
            .iter()
            .map(|&[start, end, value_start, value_end]| {
                (
                    &self.text[start as usize..end as usize],
                    &self.text[value_start as usize..value_end as usize],
                )
            })
    }

    /// Number of pairs.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// No pairs at all.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

impl<N: AsRef<str>, V: AsRef<str>> FromIterator<(N, V)> for Attributes {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        let mut attributes = Attributes::new();
        for (name, value) in iter {
            attributes.push(name.as_ref(), value.as_ref());
        }
        attributes
    }
}

impl std::fmt::Debug for Attributes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Attributes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (name, value) in self.iter() {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_repeats_and_empty_values() {
        let attrs: Attributes = [("if1", "net1 a 0"), ("prev_state", ""), ("if1", "x")]
            .into_iter()
            .collect();
        assert_eq!(attrs.len(), 3);
        assert_eq!(attrs.get("if1"), Some("net1 a 0"));
        assert_eq!(attrs.get("prev_state"), Some(""));
        assert_eq!(attrs.get("missing"), None);
        let names: Vec<_> = attrs.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["if1", "prev_state", "if1"]);
    }

    #[test]
    fn over_a_whole_line() {
        let attrs = Attributes::from_line("a=1,bb=".into(), vec![[0, 1, 2, 3], [4, 6, 7, 7]]);
        assert_eq!(attrs.iter().collect::<Vec<_>>(), [("a", "1"), ("bb", "")]);
    }
}
