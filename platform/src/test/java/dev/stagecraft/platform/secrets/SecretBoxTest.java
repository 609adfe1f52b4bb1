package dev.stagecraft.platform.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private final SecretBox box = SecretBox.ofBase64Key(SecretBox.newBase64Key());

    @Test
    void sealsSoThatOnlyTheKeyOpens() {
        String sealed = box.seal("s3cr3t-db-password");
        assertTrue(SecretBox.isSealed(sealed));
        assertFalse(sealed.contains("s3cr3t"));
        assertNotEquals(sealed, box.seal("s3cr3t-db-password"), "a fresh IV every time");
        assertEquals("s3cr3t-db-password", box.open(sealed));
        SecretBox other = SecretBox.ofBase64Key(SecretBox.newBase64Key());
        assertThrows(IllegalArgumentException.class, () -> other.open(sealed));
    }

    @Test
    void aTamperedValueDoesNotOpen() {
        String sealed = box.seal("value");
        char last = sealed.charAt(sealed.length() - 3);
        String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A')
                + sealed.substring(sealed.length() - 2);
        assertThrows(IllegalArgumentException.class, () -> box.open(tampered));
    }

    @Test
    void plainValuesPassThroughAndBadKeysAreRefused() {
        assertEquals("plain", box.open("plain"));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.ofBase64Key("c2hvcnQ="));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.ofBase64Key("not base64 at all!"));
    }
}
