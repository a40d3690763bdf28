//! The closed sets of the newsroom: publication states, staff roles, comment statuses.
//! Each is stored as a short lower-case word, parsed back strictly.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} `{value}`")]
pub struct ParseStateError {
    kind: &'static str,
    value: String,
}

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident, $kind:literal { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl FromStr for $name {
            type Err = ParseStateError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok($name::$variant),)+
                    _ => Err(ParseStateError { kind: $kind, value: s.to_owned() }),
                }
            }
        }

        /// Lets the store decode the stored word straight into the type.
        impl TryFrom<String> for $name {
            type Error = ParseStateError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                s.parse()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

word_enum!(
    /// Where an article is in its life: draft → pending review → scheduled or published → unpublished.
    PublishState, "publication state" {
        Draft => "draft",
        Pending => "pending",
        Scheduled => "scheduled",
        Published => "published",
        Unpublished => "unpublished",
    }
);

word_enum!(
    /// Staff roles, from least to most trusted.
    Role, "role" {
        Contributor => "contributor",
        Author => "author",
        Editor => "editor",
        Admin => "admin",
    }
);

word_enum!(
    /// A reader comment's moderation status; only approved comments are ever shown.
    CommentStatus, "comment status" {
        Pending => "pending",
        Approved => "approved",
        Spam => "spam",
        Trash => "trash",
    }
);

impl Role {
    fn rank(self) -> u8 {
        match self {
            Role::Contributor => 0,
            Role::Author => 1,
            Role::Editor => 2,
            Role::Admin => 3,
        }
    }
    /// Whether this role has at least the rights of `other`.
    pub fn at_least(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_unknown_words_are_refused() {
        for s in PublishState::ALL {
            assert_eq!(s.as_str().parse::<PublishState>().ok(), Some(*s));
        }
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().ok(), Some(*r));
        }
        assert!("Published".parse::<PublishState>().is_err());
        assert!("root".parse::<Role>().is_err());
        assert_eq!("spam".parse::<CommentStatus>().ok(), Some(CommentStatus::Spam));
    }

    #[test]
    fn roles_are_ordered_by_trust() {
        assert!(Role::Admin.at_least(Role::Editor));
        assert!(!Role::Contributor.at_least(Role::Author));
        assert!(Role::Author.at_least(Role::Author));
    }
}
