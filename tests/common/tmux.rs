//! A program in a real terminal: tmux runs it, `send-keys` types, and `capture-pane`
//! reads the screen, polled against a deadline. Each [`Tmux`] has its own tmux server
//! (`-L`, no config file) and its own private [`Home`], and kills its server when it is
//! dropped, even on failure. tmux must be installed (`scripts/test` installs it);
//! without it these tests fail and say so.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::home::{quote, Home};

/// One tmux server running one program.
pub struct Tmux {
    socket: String,
    /// The private home the program runs in.
    pub home: Home,
}

static SESSIONS: AtomicUsize = AtomicUsize::new(0);

fn tmux_available() {
    match Command::new("tmux").arg("-V").output() {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!(
            "`tmux -V` failed ({}): the terminal tests need a working tmux",
            output.status
        ),
        Err(error) => panic!(
            "tmux is not installed ({error}): the terminal tests drive real programs in \
             tmux; scripts/test installs it (Debian: apt-get install tmux)"
        ),
    }
}

impl Tmux {
    /// Starts `program ARGS` with `env` in a 120×35 tmux session, in a private home.
    /// When the program exits, the pane says `exited with N`, then `terminal restored`
    /// or `terminal left raw`.
    pub fn start(name: &str, program: &str, args: &[&str], env: &[(&str, &str)]) -> Tmux {
        tmux_available();
        let n = SESSIONS.fetch_add(1, Ordering::SeqCst);
        let socket = format!("powerdeck-test-{}-{n}-{name}", std::process::id());
        let home = Home::new(&format!("tmux-{name}"));
        let command = format!(
            "{} {} {}; echo \"exited with $?\"; \
             if stty -a | grep -q -- -icanon; then echo 'terminal left raw'; \
             else echo 'terminal restored'; fi; exec sleep 3600",
            home.env_words(env),
            quote(program),
            args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
        );
        let tmux = Tmux { socket, home };
        let output = tmux.run(&[
            "new-session",
            "-d",
            "-s",
            "main",
            "-x",
            "120",
            "-y",
            "35",
            &command,
        ]);
        assert!(
            output.status.success(),
            "tmux new-session failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        tmux
    }

    /// Starts the `powerdeck` binary with `args` and `env`.
    pub fn powerdeck(name: &str, args: &[&str], env: &[(&str, &str)]) -> Tmux {
        Tmux::start(name, env!("CARGO_BIN_EXE_powerdeck"), args, env)
    }

    /// Runs a tmux command against this test's server.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut command = Command::new("tmux");
        command
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args);
        // The server starts with the client's environment: panes run /bin/sh, whatever
        // the user's shell, and never join a tmux session the tests run in.
        self.home.apply(&mut command);
        command.env("SHELL", "/bin/sh").env_remove("TMUX");
        command.output().expect("tmux runs")
    }

    /// What the pane shows now.
    pub fn screen(&self) -> String {
        let output = self.run(&["capture-pane", "-p", "-t", "main"]);
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Presses named keys (`Enter`, `Escape`, `j`, ...).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success(), "send-keys {keys:?}");
    }

    /// Types text literally.
    pub fn type_text(&self, text: &str) {
        assert!(
            self.run(&["send-keys", "-t", "main", "-l", text])
                .status
                .success(),
            "send-keys -l {text:?}"
        );
    }

    /// Polls the screen until `done` holds; fails after `within` with the screen.
    pub fn wait_for(&self, what: &str, within: Duration, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + within;
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if Instant::now() >= deadline {
                panic!("waited {within:?} for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Polls the screen until it shows `text`.
    pub fn wait_text(&self, text: &str, within: Duration) -> String {
        self.wait_for(&format!("{text:?}"), within, |screen| screen.contains(text))
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let socket = self.run(&["display-message", "-p", "#{socket_path}"]);
        let _ = self.run(&["kill-server"]);
        let socket = String::from_utf8_lossy(&socket.stdout).trim().to_string();
        if socket.contains(&self.socket) {
            let _ = std::fs::remove_file(socket);
        }
    }
}
