package org.myelin.federation.server.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * The TLS context of outgoing federation requests: the JDK's trusted roots plus any extra CA certificates
 * ({@code MYELIN_FEDERATION_CA_FILE}), or, when verification is off ({@code MYELIN_FEDERATION_VERIFY_TLS=false}),
 * trust in any certificate. Host names are checked per request ({@link HttpsTransport}).
 */
final class FederationTls {

    private FederationTls() {
    }

    static SslContext clientContext(boolean verify, Optional<Path> caFile) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (!verify) {
                return builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null)
                        .build();
            }
            return builder.trustManager(trustManagers(caFile)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("the federation client's TLS context could not be built: " + e.getMessage(), e);
        }
    }

    private static TrustManagerFactory trustManagers(Optional<Path> caFile) {
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            if (caFile.isEmpty()) {
                return system;
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int n = 0;
            for (TrustManager manager : system.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate root : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("system-" + n++, root);
                    }
                }
            }
            for (Certificate extra : readCertificates(caFile.get())) {
                store.setCertificateEntry("extra-" + n++, extra);
            }
            TrustManagerFactory combined = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            combined.init(store);
            return combined;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("the federation CA file " + caFile.orElse(null)
                    + " could not be read: " + e.getMessage(), e);
        }
    }

    private static List<? extends Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            List<? extends Certificate> certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
            if (certificates.isEmpty()) {
                throw new IOException("it holds no PEM certificate");
            }
            return certificates;
        }
    }
}
