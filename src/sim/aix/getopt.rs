//! AIX `getopt` as the simulated AIX and NIM commands use it: clustered flags (`-cq`,
//! `-Fo reset`), flag arguments joined or separate (`-fFILE`, `-f FILE`), `--`, and the
//! first operand ending the flags. Errors read like AIX's own
//! (`lswpar: Not a recognized flag: z`).

/// The flags and operands of one command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opts {
    /// Every flag in order, with its argument when it takes one.
    pub flags: Vec<(char, Option<String>)>,
    /// What follows the flags.
    pub operands: Vec<String>,
}

impl Opts {
    /// True when flag `c` was given.
    pub fn has(&self, c: char) -> bool {
        self.flags.iter().any(|(flag, _)| *flag == c)
    }

    /// The argument of the last `-c`.
    pub fn value(&self, c: char) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(flag, _)| *flag == c)
            .and_then(|(_, value)| value.as_deref())
    }

    /// The arguments of every `-c`, in order.
    pub fn values(&self, c: char) -> Vec<&str> {
        self.flags
            .iter()
            .filter(|(flag, _)| *flag == c)
            .filter_map(|(_, value)| value.as_deref())
            .collect()
    }
}

/// Splits `args` (without the program name). `plain` lists the flags without an
/// argument, `with_arg` those with one. `Err` holds the AIX message line for the first
/// bad flag, prefixed with `program`.
pub fn getopt(program: &str, args: &[String], plain: &str, with_arg: &str) -> Result<Opts, String> {
    let mut opts = Opts::default();
    let mut index = 0;
    while index < args.len() {
        let arg = &args[index];
        if arg == "--" {
            index += 1;
            break;
        }
        let Some(cluster) = arg.strip_prefix('-') else {
            break;
        };
        if cluster.is_empty() {
            break;
        }
        for (at, c) in cluster.char_indices() {
            if with_arg.contains(c) {
                let rest = &cluster[at + c.len_utf8()..];
                let value = if !rest.is_empty() {
                    rest.to_string()
                } else {
                    index += 1;
                    match args.get(index) {
                        Some(value) => value.clone(),
                        None => return Err(format!("{program}: Flag requires a parameter: {c}")),
                    }
                };
                opts.flags.push((c, Some(value)));
                break;
            } else if plain.contains(c) {
                opts.flags.push((c, None));
            } else {
                return Err(format!("{program}: Not a recognized flag: {c}"));
            }
        }
        index += 1;
    }
    opts.operands = args[index.min(args.len())..].to_vec();
    Ok(opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn clusters_and_arguments() {
        let opts = getopt(
            "x",
            &args(&["-cq", "-a", "name,state", "-sD", "w1"]),
            "cq",
            "as",
        )
        .unwrap();
        assert!(opts.has('c') && opts.has('q'));
        assert_eq!(opts.value('a'), Some("name,state"));
        assert_eq!(opts.value('s'), Some("D"));
        assert_eq!(opts.operands, ["w1"]);
        let opts = getopt("nim", &args(&["-Fo", "reset", "c1"]), "F", "o").unwrap();
        assert!(opts.has('F'));
        assert_eq!(opts.value('o'), Some("reset"));
        assert_eq!(opts.operands, ["c1"]);
    }

    #[test]
    fn errors() {
        assert_eq!(
            getopt("lswpar", &args(&["-z"]), "c", ""),
            Err("lswpar: Not a recognized flag: z".to_string())
        );
        assert_eq!(
            getopt("lswpar", &args(&["-a"]), "", "a"),
            Err("lswpar: Flag requires a parameter: a".to_string())
        );
        let opts = getopt("x", &args(&["--", "-c"]), "c", "").unwrap();
        assert_eq!(opts.operands, ["-c"]);
    }
}
