//! Where firmware comes from: the repository the operator names on the command line, and
//! the `-r` options of `lslic`/`updlic` for it (docs/formats.md, "HMC: lslic",
//! "HMC: updlic").

use crate::sources::hmc::commands::LicRepository;
use crate::wizard::PlanError;

/// Where the firmware comes from, as the operator names it on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FirmwareRepo {
    /// `ibmwebsite`: IBM Fix Central, straight from the HMC.
    #[default]
    IbmWebsite,
    /// `disk`: updates already on the HMC's disk.
    Disk,
    /// `mountpoint:DIR`: a directory on the HMC.
    Mountpoint { directory: String },
    /// `ftp:[USER@]HOST[:DIR]` (user `anonymous` unless given).
    Ftp {
        host: String,
        user: String,
        directory: Option<String>,
    },
    /// `sftp:[USER@]HOST[:DIR]` (user `hscroot` unless given), with an SSH key stored on
    /// the HMC.
    Sftp {
        host: String,
        user: String,
        key: Option<String>,
        directory: Option<String>,
    },
}

impl FirmwareRepo {
    /// Reads `ibmwebsite`, `disk`, `mountpoint:DIR`, `ftp:[USER@]HOST[:DIR]` or
    /// `sftp:[USER@]HOST[:DIR]`.
    pub fn parse(text: &str) -> Result<FirmwareRepo, PlanError> {
        let bad = || {
            PlanError::invalid(format!(
                "repository {text:?} is not one of ibmwebsite, disk, mountpoint:DIR, ftp:[USER@]HOST[:DIR], sftp:[USER@]HOST[:DIR]"
            ))
        };
        let (kind, rest) = match text.split_once(':') {
            Some((kind, rest)) => (kind, Some(rest)),
            None => (text, None),
        };
        let remote = |rest: Option<&str>, default_user: &str| {
            let rest = rest.filter(|r| !r.is_empty()).ok_or_else(bad)?;
            let (place, directory) = match rest.split_once(':') {
                Some((place, directory)) if !directory.is_empty() => {
                    (place, Some(directory.to_string()))
                }
                Some((place, _)) => (place, None),
                None => (rest, None),
            };
            let (user, host) = match place.split_once('@') {
                Some((user, host)) => (user.to_string(), host.to_string()),
                None => (default_user.to_string(), place.to_string()),
            };
            if host.is_empty() || user.is_empty() {
                return Err(bad());
            }
            Ok((host, user, directory))
        };
        match (kind, rest) {
            ("ibmwebsite", None) => Ok(FirmwareRepo::IbmWebsite),
            ("disk", None) => Ok(FirmwareRepo::Disk),
            ("mountpoint", Some(directory)) if !directory.is_empty() => {
                Ok(FirmwareRepo::Mountpoint {
                    directory: directory.to_string(),
                })
            }
            ("ftp", rest) => {
                let (host, user, directory) = remote(rest, "anonymous")?;
                Ok(FirmwareRepo::Ftp {
                    host,
                    user,
                    directory,
                })
            }
            ("sftp", rest) => {
                let (host, user, directory) = remote(rest, "hscroot")?;
                Ok(FirmwareRepo::Sftp {
                    host,
                    user,
                    key: None,
                    directory,
                })
            }
            _ => Err(bad()),
        }
    }

    /// The `-r` options of `lslic`/`updlic` for this repository.
    pub fn lic(&self) -> LicRepository<'_> {
        match self {
            FirmwareRepo::IbmWebsite => LicRepository::IbmWebsite,
            FirmwareRepo::Disk => LicRepository::Disk,
            FirmwareRepo::Mountpoint { directory } => LicRepository::Mountpoint { directory },
            FirmwareRepo::Ftp {
                host,
                user,
                directory,
            } => LicRepository::Ftp {
                host,
                user,
                directory: directory.as_deref(),
            },
            FirmwareRepo::Sftp {
                host,
                user,
                key,
                directory,
            } => LicRepository::Sftp {
                host,
                user,
                ssh_key: key.as_deref(),
                directory: directory.as_deref(),
            },
        }
    }

    /// The repository in words.
    pub fn describe(&self) -> String {
        match self {
            FirmwareRepo::IbmWebsite => "IBM Fix Central".to_string(),
            FirmwareRepo::Disk => "the HMC's disk".to_string(),
            FirmwareRepo::Mountpoint { directory } => format!("{directory} on the HMC"),
            FirmwareRepo::Ftp {
                host, directory, ..
            }
            | FirmwareRepo::Sftp {
                host, directory, ..
            } => format!("{host}:{}", directory.as_deref().unwrap_or("")),
        }
    }
}
