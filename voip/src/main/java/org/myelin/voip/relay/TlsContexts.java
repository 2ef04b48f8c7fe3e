package org.myelin.voip.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The server {@link SSLContext} of the TURN-over-TLS listener: from a PKCS#12 keystore, from a PEM certificate chain
 * and PEM private key (PKCS#8, PKCS#1 or SEC1), or, when none is configured, from a self-signed P-256 certificate
 * generated at start (clients that verify certificates need a real one).
 */
final class TlsContexts {

    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {
    }

    static SSLContext forConfig(TurnRelayConfig config) throws IOException, GeneralSecurityException {
        KeyStore keyStore;
        char[] password;
        Path certificate = config.tlsCertificatePath();
        if (certificate == null) {
            keyStore = selfSigned(config.realm());
            password = NO_PASSWORD;
        } else if (isPkcs12(certificate)) {
            password = config.tlsKeyStorePassword().toCharArray();
            keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificate)) {
                keyStore.load(in, password);
            }
        } else {
            password = NO_PASSWORD;
            keyStore = fromPem(certificate, config.tlsPrivateKeyPath());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, new SecureRandom());
        return context;
    }

    private static boolean isPkcs12(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".p12") || name.endsWith(".pfx");
    }

    private static KeyStore fromPem(Path certificatePath, Path keyPath) throws IOException, GeneralSecurityException {
        if (keyPath == null) {
            throw new IllegalArgumentException("a PEM TLS certificate needs tlsPrivateKeyPath");
        }
        Certificate[] chain;
        try (InputStream in = Files.newInputStream(certificatePath)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
        }
        if (chain.length == 0) {
            throw new IllegalArgumentException("no certificate in " + certificatePath);
        }
        PrivateKey key;
        try (Reader reader = Files.newBufferedReader(keyPath); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (parsed instanceof PEMKeyPair pair) {
                key = converter.getKeyPair(pair).getPrivate();
            } else if (parsed instanceof PrivateKeyInfo info) {
                key = converter.getPrivateKey(info);
            } else {
                throw new IllegalArgumentException("no unencrypted private key in " + keyPath);
            }
        }
        return keyStoreOf(key, chain);
    }

    private static KeyStore selfSigned(String commonName) throws GeneralSecurityException, IOException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=" + commonName.replaceAll("[,=+<>#;\"\\\\]", "_"));
        Instant now = Instant.now();
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                            Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))),
                            name, pair.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            return keyStoreOf(pair.getPrivate(), new Certificate[] {certificate});
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign the self-signed TURN certificate", e);
        }
    }

    private static KeyStore keyStoreOf(PrivateKey key, Certificate[] chain)
            throws GeneralSecurityException, IOException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("turn", key, NO_PASSWORD, chain);
        return keyStore;
    }
}
