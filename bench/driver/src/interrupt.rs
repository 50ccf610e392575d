//! Ctrl-C and SIGTERM: the driver notes them and gives up at its next wait, so that the guards
//! still stop and reap every child process and the temporary directory is still removed.

use crate::BenchError;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Starts listening for SIGINT and SIGTERM; returns once both are being listened for.
pub fn install() -> Result<(), String> {
    let (ready, listening) = std::sync::mpsc::channel::<Result<(), String>>();
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(error) => {
                    let _ = ready.send(Err(format!("cannot listen for signals: {error}")));
                    return;
                }
            };
            runtime.block_on(async move {
                use tokio::signal::unix::{signal, SignalKind};
                let signals = signal(SignalKind::interrupt())
                    .and_then(|interrupt| Ok((interrupt, signal(SignalKind::terminate())?)));
                let (mut interrupt, mut terminate) = match signals {
                    Ok(signals) => signals,
                    Err(error) => {
                        let _ = ready.send(Err(format!("cannot listen for signals: {error}")));
                        return;
                    }
                };
                let _ = ready.send(Ok(()));
                loop {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                    eprintln!("interrupted: stopping the servers");
                    INTERRUPTED.store(true, Ordering::SeqCst);
                }
            });
        })
        .map_err(|error| format!("cannot listen for signals: {error}"))?;
    listening
        .recv()
        .map_err(|_| "cannot listen for signals".to_string())?
}

/// `Err(Interrupted)` once a signal has come.
pub fn check() -> Result<(), BenchError> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err(BenchError::Interrupted)
    } else {
        Ok(())
    }
}

/// Sleeps, giving up early when a signal comes.
pub fn sleep(duration: Duration) -> Result<(), BenchError> {
    let until = Instant::now() + duration;
    loop {
        check()?;
        let now = Instant::now();
        if now >= until {
            return Ok(());
        }
        std::thread::sleep((until - now).min(Duration::from_millis(20)));
    }
}
