//! Serving the simulated estate over real SSH: one russh server per host, each on its
//! own loopback port, with its own ed25519 host key.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::{Algorithm, PrivateKey, PublicKey};
use russh::server::{Auth, Handler, Msg, Session, VerifiedPublicKey};
use russh::{Channel, ChannelId};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use super::estate::{Estate, HostKind};
use super::host;
use super::reply::{Reply, Stream};
use super::world::World;

/// How often simulated time is advanced when no command arrives, so scheduled events
/// (a migration ending, a scripted fault) happen on time.
const TICK: Duration = Duration::from_millis(100);

/// Simulated time: real time since start, multiplied by `speed`.
#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    start: Instant,
    speed: f64,
}

impl SimClock {
    /// A clock starting now; `speed` above 1 makes long operations finish sooner.
    pub fn new(speed: f64) -> Self {
        SimClock {
            start: Instant::now(),
            speed: if speed.is_finite() && speed > 0.0 {
                speed
            } else {
                1.0
            },
        }
    }

    /// Simulated time since start.
    pub fn now(&self) -> Duration {
        self.start.elapsed().mul_f64(self.speed)
    }

    /// The real time a simulated duration takes.
    pub fn real(&self, simulated: Duration) -> Duration {
        simulated.div_f64(self.speed)
    }
}

/// How to serve an estate.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub listen: IpAddr,
    /// First port; hosts count up from it. `None` picks free ports.
    pub base_port: Option<u16>,
    pub speed: f64,
    /// Public keys allowed to log in (besides a host's password, if it has one).
    pub authorized_keys: Vec<PublicKey>,
}

/// One host the simulator serves.
#[derive(Debug, Clone)]
pub struct ServedHost {
    pub name: String,
    pub kind: HostKind,
    pub addr: SocketAddr,
    pub host_key: PublicKey,
    /// The user a client should log in as (`hscroot` on HMCs, `root` elsewhere).
    pub user: String,
    /// The LPAR an AIX global runs in, when the estate says.
    pub lpar: Option<String>,
}

/// A running simulator: its hosts, its world, and a way to stop it.
pub struct Simulator {
    pub hosts: Vec<ServedHost>,
    pub world: Arc<Mutex<World>>,
    pub clock: SimClock,
    shutdown: watch::Sender<bool>,
}

impl Simulator {
    /// Binds every host's port, then serves them in the background.
    pub async fn start(estate: Estate, options: ServeOptions) -> std::io::Result<Simulator> {
        let clock = SimClock::new(options.speed);
        let hosts_in_estate: Vec<(String, HostKind)> = estate
            .host_names()
            .into_iter()
            .map(|(name, kind)| (name.to_string(), kind))
            .collect();
        let passwords: Vec<Option<String>> = hosts_in_estate
            .iter()
            .map(|(name, _)| host_password(&estate, name))
            .collect();
        let lpars: Vec<Option<String>> = hosts_in_estate
            .iter()
            .map(|(name, _)| {
                estate
                    .aix
                    .iter()
                    .find(|aix| &aix.name == name)
                    .and_then(|aix| aix.lpar.clone())
            })
            .collect();
        let world = Arc::new(Mutex::new(World::new(estate)));
        let (shutdown, shutdown_rx) = watch::channel(false);
        let authorized = Arc::new(options.authorized_keys);
        let mut hosts = Vec::new();
        for (index, (name, kind)) in hosts_in_estate.into_iter().enumerate() {
            let port = options
                .base_port
                .map_or(0, |base| base.saturating_add(index as u16));
            let listener = TcpListener::bind((options.listen, port)).await?;
            let addr = listener.local_addr()?;
            let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
                .map_err(std::io::Error::other)?;
            let host_key = key.public_key().clone();
            let config = Arc::new(russh::server::Config {
                keys: vec![key],
                nodelay: true,
                auth_rejection_time: Duration::from_millis(200),
                auth_rejection_time_initial: Some(Duration::ZERO),
                inactivity_timeout: Some(Duration::from_secs(3600)),
                ..Default::default()
            });
            let served = ServedHost {
                user: match kind {
                    HostKind::Hmc => "hscroot".to_string(),
                    HostKind::Aix | HostKind::Nim => "root".to_string(),
                },
                name: name.clone(),
                kind,
                addr,
                host_key,
                lpar: lpars[index].clone(),
            };
            let context = HostContext {
                name,
                world: world.clone(),
                clock,
                authorized: authorized.clone(),
                password: passwords[index].clone(),
            };
            tokio::spawn(accept_loop(listener, config, context, shutdown_rx.clone()));
            hosts.push(served);
        }
        tokio::spawn(tick(world.clone(), clock, shutdown_rx));
        Ok(Simulator {
            hosts,
            world,
            clock,
            shutdown,
        })
    }

    /// Runs `line` on `host` in process, as a client over SSH would see it (minus
    /// the SSH): for tests and tools that want the simulator's answer directly.
    pub fn exec_local(&self, host: &str, line: &str) -> Reply {
        let mut world = lock(&self.world);
        world.advance(self.clock.now());
        host::exec(&mut world, host, line)
    }

    /// Stops every server and drops every connection.
    pub fn stop(&self) {
        let _ = self.shutdown.send(true);
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        self.stop();
    }
}

fn host_password(estate: &Estate, name: &str) -> Option<String> {
    estate
        .hmc
        .iter()
        .find(|h| h.name == name)
        .and_then(|h| h.password.clone())
        .or_else(|| {
            estate
                .aix
                .iter()
                .find(|h| h.name == name)
                .and_then(|h| h.password.clone())
        })
        .or_else(|| {
            estate
                .nim
                .iter()
                .find(|h| h.name == name)
                .and_then(|h| h.password.clone())
        })
}

/// The world lock; a panic elsewhere must not take the whole simulator down.
fn lock(world: &Mutex<World>) -> std::sync::MutexGuard<'_, World> {
    world
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn tick(world: Arc<Mutex<World>>, clock: SimClock, mut shutdown: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = tokio::time::sleep(TICK) => lock(&world).advance(clock.now()),
            _ = shutdown.changed() => return,
        }
    }
}

/// What every connection to one host shares.
#[derive(Clone)]
struct HostContext {
    name: String,
    world: Arc<Mutex<World>>,
    clock: SimClock,
    authorized: Arc<Vec<PublicKey>>,
    password: Option<String>,
}

impl HostContext {
    fn dropping(&self) -> bool {
        lock(&self.world).host_faults(&self.name).dropping
    }
}

async fn accept_loop(
    listener: TcpListener,
    config: Arc<russh::server::Config>,
    context: HostContext,
    mut shutdown: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.changed() => return,
        };
        let Ok((socket, _peer)) = accepted else {
            continue;
        };
        if context.dropping() {
            drop(socket);
            continue;
        }
        tokio::spawn(serve_connection(
            socket,
            config.clone(),
            context.clone(),
            shutdown.clone(),
        ));
    }
}

async fn serve_connection(
    socket: TcpStream,
    config: Arc<russh::server::Config>,
    context: HostContext,
    mut shutdown: watch::Receiver<bool>,
) {
    let _ = socket.set_nodelay(true);
    let handler = Connection {
        context: context.clone(),
    };
    let Ok(session) = russh::server::run_stream(config, socket, handler).await else {
        return;
    };
    let handle = session.handle();
    let mut session = std::pin::pin!(session);
    loop {
        tokio::select! {
            _ = &mut session => return,
            _ = shutdown.changed() => break,
            _ = tokio::time::sleep(TICK) => {
                if context.dropping() {
                    break;
                }
            }
        }
    }
    let _ = handle
        .disconnect(
            russh::Disconnect::ByApplication,
            "connection dropped".into(),
            String::new(),
        )
        .await;
}

/// One client connection to one simulated host.
struct Connection {
    context: HostContext,
}

impl Handler for Connection {
    type Error = russh::Error;

    async fn auth_publickey(
        &mut self,
        _user: &str,
        key: VerifiedPublicKey<'_>,
    ) -> Result<Auth, Self::Error> {
        let known = self
            .context
            .authorized
            .iter()
            .any(|allowed| allowed.key_data() == key.public_key.key_data());
        Ok(if known { Auth::Accept } else { Auth::reject() })
    }

    async fn auth_password(&mut self, _user: &str, password: &str) -> Result<Auth, Self::Error> {
        Ok(match &self.context.password {
            Some(expected) if expected == password => Auth::Accept,
            _ => Auth::reject(),
        })
    }

    async fn channel_open_session(
        &mut self,
        _channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        reply.accept().await;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        let handle = session.handle();
        tokio::spawn(async move {
            let reply = Reply::fail_stderr(
                "powerdeck simulator: interactive shells are not offered; run a command\n",
                1,
            );
            play(&handle, channel, reply, SimClock::new(1.0)).await;
        });
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_success(channel)?;
        let line = String::from_utf8_lossy(data).into_owned();
        let handle = session.handle();
        let context = self.context.clone();
        tokio::spawn(async move {
            if !host::is_control(&line) {
                let latency = lock(&context.world).host_faults(&context.name).latency;
                // Even a zero sleep waits for the timer's next 1 ms tick: skip it, or
                // every exec on a host without latency costs ≈ 1 ms more.
                if !latency.is_zero() {
                    tokio::time::sleep(latency).await;
                }
                while lock(&context.world).host_faults(&context.name).stalled {
                    tokio::time::sleep(TICK).await;
                }
                // A host that drops its connections answers nothing more, even on a
                // connection the next tick has not closed yet.
                if context.dropping() {
                    let _ = handle
                        .disconnect(
                            russh::Disconnect::ByApplication,
                            "connection dropped".into(),
                            String::new(),
                        )
                        .await;
                    return;
                }
            }
            let started = {
                let mut world = lock(&context.world);
                world.advance(context.clock.now());
                host::Call::start(&world, &context.name, &line)
            };
            let mut call = match started {
                Ok(call) => call,
                Err(reply) => return play(&handle, channel, reply, context.clock).await,
            };
            // Each command runs when the one before it has ended, on the world as it is
            // then, not on the world at the start of the line.
            loop {
                let next = {
                    let mut world = lock(&context.world);
                    world.advance(context.clock.now());
                    call.step(&mut world, None)
                };
                let Some(reply) = next else { break };
                if !play_output(&handle, channel, &reply, context.clock).await {
                    return;
                }
            }
            finish(&handle, channel, call.exit_status()).await;
        });
        Ok(())
    }
}

/// Sends a reply as the command would produce it: output over (scaled) time, then the
/// exit status, EOF and close.
async fn play(handle: &russh::server::Handle, channel: ChannelId, reply: Reply, clock: SimClock) {
    if play_output(handle, channel, &reply, clock).await {
        finish(handle, channel, reply.exit_status).await;
    }
}

/// Sends one command's output over (scaled) time, and waits for its end; false when the
/// client has gone.
async fn play_output(
    handle: &russh::server::Handle,
    channel: ChannelId,
    reply: &Reply,
    clock: SimClock,
) -> bool {
    for chunk in &reply.chunks {
        if !chunk.after.is_zero() {
            tokio::time::sleep(clock.real(chunk.after)).await;
        }
        if chunk.text.is_empty() {
            continue;
        }
        let bytes = bytes::Bytes::from(chunk.text.clone().into_bytes());
        let sent = match chunk.stream {
            Stream::Stdout => handle.data(channel, bytes).await,
            Stream::Stderr => handle.extended_data(channel, 1, bytes).await,
        };
        if sent.is_err() {
            return false;
        }
    }
    if !reply.tail.is_zero() {
        tokio::time::sleep(clock.real(reply.tail)).await;
    }
    true
}

/// Ends a command line: its exit status, EOF and close.
async fn finish(handle: &russh::server::Handle, channel: ChannelId, exit_status: u32) {
    let _ = handle.exit_status_request(channel, exit_status).await;
    let _ = handle.eof(channel).await;
    let _ = handle.close(channel).await;
}
