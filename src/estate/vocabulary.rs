//! State vocabularies that keep what they do not know.
//!
//! HMC, AIX and NIM add states with new firmware and new releases. A console that fails
//! on an unfamiliar word would blank an admin's screen at the worst moment, so every
//! vocabulary here maps the known spellings (case-insensitively) to variants and keeps
//! anything else verbatim in `Other`.

/// Declares a vocabulary enum: known variants with their canonical spelling (and optional
/// aliases), plus `Other(String)` for anything else. It gets `parse`, `as_str`,
/// `is_known`, `Display`, `From<&str>` and string (de)serialisation.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of powerdeck does not know, kept as the host wrote it.
            Other(String),
        }

        impl $name {
            /// Every known variant, in declaration order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// Maps a host's spelling to a variant, ignoring case and surrounding blanks.
            pub fn parse(text: &str) -> Self {
                let text = text.trim();
                $(
                    if text.eq_ignore_ascii_case($text) $(|| text.eq_ignore_ascii_case($alias))* {
                        return $name::$variant;
                    }
                )+
                $name::Other(text.to_string())
            }

            /// The canonical spelling (the host's own for `Other`).
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(text) => text,
                }
            }

            /// False for values kept verbatim in `Other`.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name::parse(text)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::parse(&text))
            }
        }
    };
}

pub(crate) use vocabulary;
