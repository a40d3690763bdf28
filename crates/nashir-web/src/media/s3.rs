//! The media library on an S3-compatible object store (AWS S3, Cloudflare R2, MinIO, Ceph,
//! Garage…), so several instances share one library. `object_store` speaks S3; what it needs
//! from us is an HTTP client and the SHA-256 and HMAC the request signatures use: ureq (the
//! client the pings already use, TLS by rustls with ring) and RustCrypto's `sha2` and `hmac`,
//! so no second TLS stack (aws-lc) is built.
//!
//! Configured as `--media-store s3://BUCKET[/PREFIX]`, with the usual `AWS_*` variables for
//! the rest: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT` (an
//! S3-compatible server's URL) and `AWS_ALLOW_HTTP=true` for a plain-HTTP endpoint.

use std::sync::Arc;

use axum::body::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::BodyExt;
use object_store::ClientOptions;
use object_store::aws::AmazonS3Builder;
use object_store::client::{
    CryptoProvider, DigestAlgorithm, DigestContext, HmacContext, HttpClient, HttpConnector, HttpError, HttpErrorKind,
    HttpRequest, HttpResponse, HttpService, Signer, SigningAlgorithm,
};
use sha2::{Digest, Sha256};

/// Largest response read into memory: an original photo within the upload limit, with room.
const MAX_RESPONSE_BYTES: u64 = 512 * 1024 * 1024;

/// Opens `s3://BUCKET[/PREFIX]`; the prefix keeps the library below a folder of the bucket.
pub(crate) fn open(url: &str) -> Result<Arc<dyn object_store::ObjectStore>, String> {
    let rest = url.strip_prefix("s3://").ok_or_else(|| format!("{url}: expected s3://BUCKET[/PREFIX]"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(format!("{url}: no bucket named"));
    }
    let store = AmazonS3Builder::from_env()
        .with_bucket_name(bucket)
        .with_http_connector(UreqConnector)
        .with_crypto_provider(Arc::new(RustCrypto))
        .build()
        .map_err(|e| format!("{url}: {e}"))?;
    let prefix = prefix.trim_matches('/');
    if prefix.is_empty() {
        Ok(Arc::new(store))
    } else {
        Ok(Arc::new(object_store::prefix::PrefixStore::new(store, prefix)))
    }
}

#[derive(Debug)]
struct UreqConnector;

impl HttpConnector for UreqConnector {
    fn connect(&self, options: &ClientOptions) -> object_store::Result<HttpClient> {
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(concat!("Nashir/", env!("CARGO_PKG_VERSION")))
            // object_store follows no redirects itself and retries what fails.
            .max_redirects(0)
            .timeout_global(Some(std::time::Duration::from_secs(120)));
        if let Some(Ok(timeout)) = options.get_config_value(&object_store::ClientConfigKey::ConnectTimeout).map(|v| humantime_secs(&v)) {
            config = config.timeout_connect(Some(timeout));
        }
        Ok(HttpClient::new(UreqService(config.build().into())))
    }
}

/// `5 seconds`, `30s` and the like, as object_store writes its durations; seconds only.
fn humantime_secs(v: &str) -> Result<std::time::Duration, ()> {
    let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().map(std::time::Duration::from_secs).map_err(|_| ())
}

#[derive(Debug)]
struct UreqService(ureq::Agent);

#[async_trait::async_trait]
impl HttpService for UreqService {
    async fn call(&self, req: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = req.into_parts();
        let body: Bytes = body.collect().await.map_err(|e| HttpError::new(HttpErrorKind::Request, e))?.to_bytes();
        let agent = self.0.clone();
        tokio::task::spawn_blocking(move || {
            let request = axum::http::Request::from_parts(parts, body.to_vec());
            let response = agent.run(request).map_err(|e| {
                let kind = match &e {
                    ureq::Error::Timeout(_) => HttpErrorKind::Timeout,
                    ureq::Error::Io(_) | ureq::Error::ConnectionFailed | ureq::Error::HostNotFound => HttpErrorKind::Connect,
                    _ => HttpErrorKind::Request,
                };
                HttpError::new(kind, e)
            })?;
            let (parts, mut body) = response.into_parts();
            let bytes = body.with_config().limit(MAX_RESPONSE_BYTES).read_to_vec().map_err(|e| HttpError::new(HttpErrorKind::Decode, e))?;
            Ok(HttpResponse::from_parts(parts, bytes.into()))
        })
        .await
        .map_err(|e| HttpError::new(HttpErrorKind::Unknown, e))?
    }
}

/// SHA-256 and HMAC-SHA-256 for request signatures. RSA signing is Google Cloud's, not S3's.
#[derive(Debug)]
struct RustCrypto;

impl CryptoProvider for RustCrypto {
    fn digest(&self, algorithm: DigestAlgorithm) -> object_store::Result<Box<dyn DigestContext>> {
        match algorithm {
            DigestAlgorithm::Sha256 => Ok(Box::new(Sha256Context(Sha256::new(), [0; 32]))),
            other => Err(unsupported(format!("digest {other:?}"))),
        }
    }

    fn hmac(&self, algorithm: DigestAlgorithm, secret: &[u8]) -> object_store::Result<Box<dyn HmacContext>> {
        match algorithm {
            DigestAlgorithm::Sha256 => {
                let mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|e| unsupported(e.to_string()))?;
                Ok(Box::new(HmacSha256(mac, [0; 32])))
            }
            other => Err(unsupported(format!("HMAC with {other:?}"))),
        }
    }

    fn sign(&self, algorithm: SigningAlgorithm, _pem: &[u8]) -> object_store::Result<Box<dyn Signer>> {
        Err(unsupported(format!("signing with {algorithm:?}")))
    }
}

fn unsupported(what: String) -> object_store::Error {
    object_store::Error::NotSupported { source: format!("{what} is not available in Nashir's S3 client").into() }
}

struct Sha256Context(Sha256, [u8; 32]);

impl DigestContext for Sha256Context {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    fn finish(&mut self) -> object_store::Result<&[u8]> {
        self.1.copy_from_slice(&self.0.finalize_reset());
        Ok(&self.1)
    }
}

struct HmacSha256(Hmac<Sha256>, [u8; 32]);

impl HmacContext for HmacSha256 {
    fn update(&mut self, data: &[u8]) {
        self.0.update(data);
    }

    fn finish(&mut self) -> object_store::Result<&[u8]> {
        self.1.copy_from_slice(&self.0.clone().finalize().into_bytes());
        Ok(&self.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231 test case 2 and the SHA-256 of "abc" (FIPS 180-2).
    #[test]
    fn signatures_use_the_standard_sha256_and_hmac() {
        let mut d = RustCrypto.digest(DigestAlgorithm::Sha256).unwrap_or_else(|e| panic!("{e}"));
        d.update(b"abc");
        let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
        assert_eq!(hex(d.finish().unwrap_or_else(|e| panic!("{e}"))), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let mut h = RustCrypto.hmac(DigestAlgorithm::Sha256, b"Jefe").unwrap_or_else(|e| panic!("{e}"));
        h.update(b"what do ya want for nothing?");
        assert_eq!(hex(h.finish().unwrap_or_else(|e| panic!("{e}"))), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn only_s3_urls_with_a_bucket_open() {
        assert!(open("gs://bucket").is_err());
        assert!(open("s3://").is_err());
    }
}
