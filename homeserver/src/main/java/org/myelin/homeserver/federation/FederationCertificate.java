package org.myelin.homeserver.federation;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.myelin.homeserver.startup.StartupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate the federation listener presents: the operator's PEM certificate chain and private key
 * ({@code MYELIN_TLS_CERTIFICATE}, {@code MYELIN_TLS_PRIVATE_KEY}), or, when none is configured, a self-signed P-256
 * certificate for the server name, generated once into the data directory ({@value #CERT_FILE},
 * {@value #KEY_FILE}) and kept across restarts. Other servers verify certificates, so a self-signed one is only
 * good for tests and trials; start-up warns about it.
 *
 * @param chain the certificate first, then its issuers
 */
record FederationCertificate(PrivateKey key, List<X509Certificate> chain) {

    static final String CERT_FILE = "federation-tls.crt";
    static final String KEY_FILE = "federation-tls.key";
    private static final Logger LOG = LoggerFactory.getLogger(FederationCertificate.class);

    /** The configured certificate, or the generated one for {@code serverName} under {@code dataDir}. */
    static FederationCertificate load(String certificate, String privateKey, Path dataDir, String serverName) {
        try {
            if (!certificate.isBlank() || !privateKey.isBlank()) {
                if (certificate.isBlank() || privateKey.isBlank()) {
                    throw new StartupException("MYELIN_TLS_CERTIFICATE and MYELIN_TLS_PRIVATE_KEY go together");
                }
                return fromPem(Path.of(certificate), Path.of(privateKey));
            }
            Path cert = dataDir.resolve(CERT_FILE);
            Path key = dataDir.resolve(KEY_FILE);
            if (!Files.exists(cert) || !Files.exists(key)) {
                generate(cert, key, serverName);
            }
            LOG.warn("Federation uses the self-signed certificate {}: other servers will not trust it. Set "
                    + "MYELIN_TLS_CERTIFICATE and MYELIN_TLS_PRIVATE_KEY for a real one.", cert);
            return fromPem(cert, key);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new StartupException("the federation TLS certificate could not be loaded: " + e.getMessage());
        }
    }

    private static FederationCertificate fromPem(Path certificate, Path privateKey)
            throws IOException, GeneralSecurityException {
        List<X509Certificate> chain;
        try (var in = Files.newInputStream(certificate)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("no certificate in " + certificate);
        }
        try (Reader reader = Files.newBufferedReader(privateKey); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                return new FederationCertificate(converter.getPrivateKey(pair.getPrivateKeyInfo()), chain);
            }
            if (parsed instanceof PrivateKeyInfo info) {
                return new FederationCertificate(converter.getPrivateKey(info), chain);
            }
            throw new IllegalArgumentException("no unencrypted PEM private key in " + privateKey);
        }
    }

    private static void generate(Path cert, Path key, String serverName) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        String host = serverName.replaceFirst(":\\d+$", "").replaceAll("^\\[|\\]$", "");
        X500Name name = new X500Name("CN=" + host.replaceAll("[,=+<>#;\"\\\\]", "_"));
        Instant now = Instant.now();
        X509Certificate certificate;
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
            int type = host.matches("[0-9.]+|.*:.*") ? GeneralName.iPAddress : GeneralName.dNSName;
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(type, host)));
            certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the self-signed certificate", e);
        }
        Files.createDirectories(key.getParent());
        Files.deleteIfExists(key);
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        writePem(key, new JcaPKCS8Generator(pair.getPrivate(), null));
        writePem(cert, certificate);
    }

    private static void writePem(Path path, Object object) throws IOException {
        try (Writer writer = Files.newBufferedWriter(path); JcaPEMWriter pem = new JcaPEMWriter(writer)) {
            pem.writeObject(object);
        }
    }
}
