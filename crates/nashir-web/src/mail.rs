//! Sending the site's mail through SMTP (lettre). Messages wait in the database's mail
//! queue (written in the transaction that caused them); every instance runs `deliver`,
//! and each message is claimed by one of them, sent, and marked sent, or tried again later
//! with growing pauses.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use nashir_store::{QueuedMail, Store};

use crate::state::MailOptions;

/// How often the queue is looked at.
const TICK: Duration = Duration::from_secs(1);
/// How long a claimed message is this instance's to send.
const LEASE_MICROS: i64 = 120_000_000;
/// An SMTP conversation gives up after this long.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl MailOptions {
    /// Whether the sender and the server's URL can be used (checked at start-up).
    pub fn check(&self) -> Result<(), String> {
        self.from.parse::<Mailbox>().map_err(|e| format!("the sender `{}` is not an address: {e}", self.from))?;
        AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url)
            .map_err(|e| format!("the SMTP URL is not usable: {e}"))?;
        Ok(())
    }

    fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        Ok(AsyncSmtpTransport::<Tokio1Executor>::from_url(&self.smtp_url)
            .map_err(|e| e.to_string())?
            .timeout(Some(SMTP_TIMEOUT))
            .build())
    }
}

/// The pause before try number `attempts + 1`: 30 s, 1 min, 2 min, … up to an hour.
fn backoff_micros(attempts: i64) -> i64 {
    let steps = attempts.clamp(1, 8) - 1;
    (30_000_000i64 << steps).min(3_600_000_000)
}

async fn send(transport: &AsyncSmtpTransport<Tokio1Executor>, from: &Mailbox, mail: &QueuedMail) -> Result<(), String> {
    let to: Mailbox = mail.recipient.parse().map_err(|e| format!("recipient: {e}"))?;
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|e| e.to_string())?;
    transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
}

/// Sends queued mail until the process ends.
pub(crate) async fn deliver(store: Store, options: MailOptions) {
    let (transport, from) = match (options.transport(), options.from.parse::<Mailbox>()) {
        (Ok(t), Ok(f)) => (t, f),
        _ => {
            tracing::error!("mail settings are not usable; no mail will be sent");
            return;
        }
    };
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        // Everything due, one message at a time.
        loop {
            let now = nashir_store::now_micros();
            let mail = match store.claim_mail(now, LEASE_MICROS).await {
                Ok(Some(mail)) => mail,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "mail queue: will retry");
                    break;
                }
            };
            let outcome = send(&transport, &from, &mail).await;
            let now = nashir_store::now_micros();
            let recorded = match &outcome {
                Ok(()) => store.mail_sent(mail.id, now).await,
                Err(e) => {
                    tracing::warn!(mail = mail.id, attempts = mail.attempts, error = %e, "sending mail failed");
                    store.mail_failed(&mail, e, now + backoff_micros(mail.attempts), now).await
                }
            };
            if let Err(e) = recorded {
                tracing::warn!(mail = mail.id, error = %e, "recording a mail's outcome failed");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        assert_eq!(backoff_micros(1), 30_000_000);
        assert_eq!(backoff_micros(2), 60_000_000);
        assert_eq!(backoff_micros(8), 3_600_000_000);
        assert_eq!(backoff_micros(50), 3_600_000_000);
    }

    #[test]
    fn settings_are_checked() {
        let ok = MailOptions { smtp_url: "smtp://127.0.0.1:2525".into(), from: "ناشر <news@example.com>".into() };
        assert!(ok.check().is_ok());
        let bad_from = MailOptions { from: "not an address".into(), ..ok.clone() };
        assert!(bad_from.check().is_err());
        let bad_url = MailOptions { smtp_url: "http://x".into(), ..ok };
        assert!(bad_url.check().is_err());
    }
}
