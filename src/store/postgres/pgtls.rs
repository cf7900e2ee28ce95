//! TLS for PostgreSQL connections (rustls), with libpq's `sslmode` meanings:
//!
//! | sslmode | encrypted | server checked |
//! |---|---|---|
//! | `disable` | never | - |
//! | `prefer` (default) | when the server offers it | no |
//! | `require` | always, or no connection | no |
//! | `verify-ca` | always | its certificate chains to `sslrootcert` |
//! | `verify-full` | always | that, and it is issued for the host name in the URL |
//!
//! `sslmode` and `sslrootcert` come from the URL's query, else from `PGSSLMODE` and
//! `PGSSLROOTCERT`; the verifying modes read the CA certificates (PEM) from `sslrootcert`,
//! else `~/.postgresql/root.crt`, as libpq does. The driver's own URL parser knows neither
//! the verifying modes nor `sslrootcert`, so both are taken out of the URL here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ::postgres::config::SslMode;
use anyhow::Result;
use percent_encoding::percent_decode_str;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::exit::database;

/// libpq's `sslmode` values that twofa supports (`allow` is not one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl Mode {
    fn parse(value: &str) -> Result<Mode> {
        Ok(match value {
            "disable" => Mode::Disable,
            "prefer" => Mode::Prefer,
            "require" => Mode::Require,
            "verify-ca" => Mode::VerifyCa,
            "verify-full" => Mode::VerifyFull,
            other => {
                return Err(database(format!(
                    "sslmode '{other}' is not supported: use disable, prefer, require, verify-ca or verify-full"
                )));
            }
        })
    }

    /// What the driver is told: whether TLS is optional or required.
    pub fn driver(self) -> SslMode {
        match self {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        }
    }
}

/// The TLS settings of one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub mode: Mode,
    pub root_cert: Option<PathBuf>,
}

/// Splits `sslmode` and `sslrootcert` off `url`'s query: the URL for the driver, and the
/// settings (with `PGSSLMODE` and `PGSSLROOTCERT` where the URL has none).
pub fn split_url(url: &str) -> Result<(String, Settings)> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut mode = None;
    let mut root_cert = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded = || percent_decode_str(value).decode_utf8_lossy().into_owned();
        match key {
            "sslmode" => mode = Some(decoded()),
            "sslrootcert" => root_cert = Some(decoded()),
            _ => kept.push(pair),
        }
    }
    let mode = match mode.or_else(|| env("PGSSLMODE")) {
        Some(m) => Mode::parse(&m)?,
        None => Mode::Prefer,
    };
    let root_cert = root_cert
        .or_else(|| env("PGSSLROOTCERT"))
        .map(PathBuf::from);
    let url = if kept.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    Ok((url, Settings { mode, root_cert }))
}

/// The connector for `settings`: rustls with the `ring` provider and its safe defaults
/// (TLS 1.2 and 1.3).
pub fn connector(settings: &Settings) -> Result<MakeRustlsConnect> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| database(format!("cannot set up TLS: {e}")))?;
    let lenient = |chain| {
        let verifier = Lenient {
            provider: provider.clone(),
            chain,
        };
        Arc::new(verifier)
    };
    let config = match settings.mode {
        Mode::Disable | Mode::Prefer | Mode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(lenient(None))
            .with_no_client_auth(),
        Mode::VerifyFull => builder
            .with_root_certificates(roots(settings)?)
            .with_no_client_auth(),
        Mode::VerifyCa => {
            let chain = WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots(settings)?),
                provider.clone(),
            )
            .build()
            .map_err(|e| database(format!("cannot set up TLS: {e}")))?;
            builder
                .dangerous()
                .with_custom_certificate_verifier(lenient(Some(chain)))
                .with_no_client_auth()
        }
    };
    Ok(MakeRustlsConnect::new(config))
}

/// The CA certificates the verifying modes trust.
fn roots(settings: &Settings) -> Result<RootCertStore> {
    let default = || {
        std::env::var_os("HOME")
            .filter(|h| !h.is_empty())
            .map(|h| Path::new(&h).join(".postgresql/root.crt"))
    };
    let Some(path) = settings.root_cert.clone().or_else(default) else {
        return Err(database(
            "sslmode verify-ca and verify-full need the CA certificate: add sslrootcert=FILE to the URL",
        ));
    };
    let shown = path.display();
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&path)
        .and_then(|certs| certs.collect())
        .map_err(|e| database(format!("cannot read CA certificates from {shown}: {e}")))?;
    let mut store = RootCertStore::empty();
    let (added, _) = store.add_parsable_certificates(certs);
    if added == 0 {
        return Err(database(format!(
            "{shown} holds no usable CA certificate (PEM, BEGIN CERTIFICATE)"
        )));
    }
    Ok(store)
}

/// The certificate checks short of `verify-full`, as libpq makes them. Without `chain`
/// (`prefer`, `require`) any certificate is taken: the connection is encrypted and the
/// handshake's signatures are checked, which keeps passive listeners out but not a man in
/// the middle. With it (`verify-ca`) the certificate must chain to a trusted CA (checked
/// first, by webpki); only a host name it was not issued for is let through.
#[derive(Debug)]
struct Lenient {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
}

/// One of [`ServerCertVerifier`]'s signature checks (`verify_tls12_signature`,
/// `verify_tls13_signature`): rustls's function of the same name, with the provider's
/// algorithms.
macro_rules! verify_signature {
    ($name:ident) => {
        fn $name(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            let algorithms = &self.provider.signature_verification_algorithms;
            $name(message, cert, dss, algorithms)
        }
    };
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    verify_signature!(verify_tls12_signature);
    verify_signature!(verify_tls13_signature);

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_and_sslrootcert_leave_the_url_and_the_rest_stays() {
        let (url, s) = split_url(
            "postgres://u@h/db?application_name=x&sslmode=verify-full&sslrootcert=%2Fetc%2Fca%20dir%2Froot.pem&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgres://u@h/db?application_name=x&connect_timeout=3"
        );
        assert_eq!(s.mode, Mode::VerifyFull);
        assert_eq!(s.root_cert, Some(PathBuf::from("/etc/ca dir/root.pem")));
        let (url, s) = split_url("postgres://u@h/db?sslmode=require").unwrap();
        assert_eq!((url.as_str(), s.mode), ("postgres://u@h/db", Mode::Require));
    }

    #[test]
    fn unknown_modes_are_refused_by_name() {
        let err = split_url("postgres://u@h/db?sslmode=allow").unwrap_err();
        assert!(err.to_string().contains("sslmode 'allow'"), "{err}");
    }

    #[test]
    fn the_verifying_modes_need_a_readable_ca_file() {
        let dir = tempfile::tempdir().unwrap();
        let settings = |mode, file: &str| Settings {
            mode,
            root_cert: Some(dir.path().join(file)),
        };
        for mode in [Mode::VerifyCa, Mode::VerifyFull] {
            let err = connector(&settings(mode, "missing.pem")).err().unwrap();
            assert!(err.to_string().contains("missing.pem"), "{err}");
            std::fs::write(dir.path().join("empty.pem"), "no certificate here\n").unwrap();
            let err = connector(&settings(mode, "empty.pem")).err().unwrap();
            assert!(
                err.to_string().contains("no usable CA certificate"),
                "{err}"
            );
        }
        assert!(connector(&settings(Mode::Require, "missing.pem")).is_ok());
    }
}
