package org.myelin.homeserver.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myelin.homeserver.startup.StartupException;

class FederationCertificateTest {

    @TempDir
    Path dataDir;

    @Test
    void aGeneratedCertificateShouldBeKeptAcrossStartsWithAPrivateKeyOnlyItsOwnerReads() throws Exception {
        FederationCertificate first = FederationCertificate.load("", "", dataDir, "example.org:8448");
        FederationCertificate second = FederationCertificate.load("", "", dataDir, "example.org:8448");

        assertThat(second.chain()).isEqualTo(first.chain());
        assertThat(second.key().getEncoded()).isEqualTo(first.key().getEncoded());
        assertThat(first.chain().get(0).getSubjectX500Principal().getName()).isEqualTo("CN=example.org");
        assertThat(first.chain().get(0).getSubjectAlternativeNames()).anyMatch(san -> san.get(1).equals("example.org"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dataDir.resolve(FederationCertificate.KEY_FILE)))).isEqualTo("rw-------");
    }

    @Test
    void aConfiguredPemPairShouldBeLoaded() {
        FederationCertificate generated = FederationCertificate.load("", "", dataDir, "example.org");
        FederationCertificate configured = FederationCertificate.load(
                dataDir.resolve(FederationCertificate.CERT_FILE).toString(),
                dataDir.resolve(FederationCertificate.KEY_FILE).toString(), Path.of("/nonexistent"), "ignored");
        assertThat(configured.chain()).isEqualTo(generated.chain());
    }

    @Test
    void aCertificateWithoutItsKeyOrAMissingFileShouldStopStartUp() {
        assertThatThrownBy(() -> FederationCertificate.load("/etc/cert.pem", "", dataDir, "example.org"))
                .isInstanceOf(StartupException.class).hasMessageContaining("go together");
        assertThatThrownBy(() -> FederationCertificate.load(dataDir.resolve("absent.pem").toString(),
                dataDir.resolve("absent.key").toString(), dataDir, "example.org"))
                .isInstanceOf(StartupException.class).hasMessageContaining("could not be loaded");
    }
}
