//! Simulated NIM masters and their object databases.

use serde::{Deserialize, Serialize};

use crate::estate::NimClass;

/// One simulated NIM master.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NimHost {
    /// Host name (and the name powerdeck's config gives it).
    pub name: String,
    /// The name of this master's own `master` object's host (for `/etc/niminfo`).
    #[serde(default)]
    pub hostname: Option<String>,
    /// The host name (in this estate) of this master's alternate master, if any.
    #[serde(default)]
    pub alternate: Option<String>,
    /// When set, password authentication is accepted with this password.
    #[serde(default)]
    pub password: Option<String>,
    /// Added to every command, in milliseconds of real time.
    #[serde(default)]
    pub latency_ms: u64,
    /// The NIM database, in `lsnim` order.
    #[serde(default)]
    pub objects: Vec<SimNimObject>,
}

impl NimHost {
    /// The host name clients know this master by (`current_master` values).
    pub fn master_hostname(&self) -> &str {
        self.hostname.as_deref().unwrap_or(&self.name)
    }

    /// The object called `name`.
    pub fn object(&self, name: &str) -> Option<&SimNimObject> {
        self.objects.iter().find(|o| o.name == name)
    }

    /// The object called `name`, to change it.
    pub fn object_mut(&mut self, name: &str) -> Option<&mut SimNimObject> {
        self.objects.iter_mut().find(|o| o.name == name)
    }

    /// True when the file at `location` exists on this master: the location of one of
    /// its database's resources.
    pub fn has_file(&self, location: &str) -> bool {
        self.objects
            .iter()
            .any(|o| o.class == NimClass::Resources && o.attr("location") == Some(location))
    }

    /// `oslevel -s` of the master itself: the simulator-only `oslevel` of its `master`
    /// object, `7100-03-05-1524` when unset. Both masters must be at the same level for a
    /// database sync (docs/formats.md, "NIM: alternate master").
    pub fn oslevel(&self) -> &str {
        self.object("master")
            .and_then(|m| m.oslevel.as_deref())
            .unwrap_or("7100-03-05-1524")
    }
}

/// One object of the NIM database.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimNimObject {
    /// Object name.
    pub name: String,
    /// `machines`, `resources`, `networks`, `management`, `groups`.
    pub class: NimClass,
    /// `master`, `standalone`, `lpp_source`, `ent`, `hmc`...
    #[serde(rename = "type")]
    pub object_type: String,
    /// Attributes after `class` and `type`, in `lsnim -l` order: `[["Cstate", "..."], ...]`.
    #[serde(default)]
    pub attributes: Vec<(String, String)>,
    /// Simulator only (never listed): the machine's `oslevel -s`, for `c_rsh` and
    /// `nim -o lslpp` (on the `master` object: the master's own level).
    #[serde(default)]
    pub oslevel: Option<String>,
    /// Simulator only (never listed): the client has a leftover `/bos_inst` directory
    /// from multibos, which breaks nimadm phase 11 (docs/formats.md, "NIM: nimadm"). The
    /// nimadm pre-flight finds it with `c_rsh <client> ls -d /bos_inst` and removes it with
    /// `c_rsh <client> rm -r /bos_inst`.
    #[serde(default)]
    pub bos_inst_dir: bool,
}

impl SimNimObject {
    /// An object with no attributes besides class and type.
    pub fn new(name: impl Into<String>, class: NimClass, object_type: impl Into<String>) -> Self {
        SimNimObject {
            name: name.into(),
            class,
            object_type: object_type.into(),
            attributes: Vec::new(),
            oslevel: None,
            bos_inst_dir: false,
        }
    }

    /// The value of attribute `name` (the first one where a name repeats).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Sets attribute `name`, in place when it exists, else at the end.
    pub fn set_attr(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.attributes.iter_mut().find(|(key, _)| key == name) {
            Some((_, old)) => *old = value,
            None => self.attributes.push((name.to_string(), value)),
        }
    }

    /// Sets attribute `name` in place, or inserts it right after attribute `after`
    /// (at the end when `after` is absent too).
    pub fn set_attr_after(&mut self, name: &str, value: impl Into<String>, after: &str) {
        let value = value.into();
        if let Some((_, old)) = self.attributes.iter_mut().find(|(key, _)| key == name) {
            *old = value;
            return;
        }
        let at = self
            .attributes
            .iter()
            .position(|(key, _)| key == after)
            .map_or(self.attributes.len(), |i| i + 1);
        self.attributes.insert(at, (name.to_string(), value));
    }

    /// Removes every attribute called `name`; true when there was one.
    pub fn remove_attr(&mut self, name: &str) -> bool {
        let before = self.attributes.len();
        self.attributes.retain(|(key, _)| key != name);
        self.attributes.len() != before
    }

    /// A machine (standalone, master, alternate_master, wpar...).
    pub fn is_machine(&self) -> bool {
        self.class == NimClass::Machines
    }

    /// A NIM client: a standalone or WPAR machine, controlled by its current master.
    pub fn is_client(&self) -> bool {
        self.is_machine() && matches!(self.object_type.as_str(), "standalone" | "wpar")
    }
}
