package dev.stagecraft.release.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Test vectors computed independently of this code, with openssl, as a receiver would. */
class WebhookSignatureTest {
    static final String SECRET = "whsec-test-0123456789abcdef";
    static final long TIMESTAMP = 1_700_000_000L;
    static final String BODY = "{\"hello\":\"world\"}";

    /** {@code printf '%s' '1700000000.{"hello":"world"}' | openssl dgst -sha256 -hmac 'whsec-test-0123456789abcdef'} */
    static final String EXPECTED = "sha256=169576e8ff64bcd01f2c758d2a0370e92a6d6af7bc47b517e22d6547d5af0090";

    /** The same over {@code 1700000000.{"msg":"déjà vu"}} in UTF-8: the signature covers bytes, not chars. */
    static final String EXPECTED_UTF8 = "sha256=f56bf5da1d4222198c478de9b40b4aac793a638466dc0147ae3508449aad366c";

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        assertEquals(EXPECTED, WebhookSignature.sign(SECRET, TIMESTAMP, BODY));
    }

    @Test
    void signsTheUtf8BytesOfTheBody() {
        assertEquals(EXPECTED_UTF8, WebhookSignature.sign(SECRET, TIMESTAMP, "{\"msg\":\"déjà vu\"}"));
    }

    @Test
    void verifiesWhatWasSignedAndNothingElse() {
        assertTrue(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, EXPECTED));
        assertTrue(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, "sha256=" + EXPECTED.substring(7).toUpperCase()),
                "hex case does not matter");
        assertFalse(WebhookSignature.verify(SECRET, TIMESTAMP + 1, BODY, EXPECTED), "another timestamp");
        assertFalse(WebhookSignature.verify(SECRET, TIMESTAMP, BODY + " ", EXPECTED), "another body");
        assertFalse(WebhookSignature.verify(SECRET + "x", TIMESTAMP, BODY, EXPECTED), "another secret");
        assertFalse(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, EXPECTED.substring(7)), "without the prefix");
        assertFalse(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, ""), "empty header");
        assertFalse(WebhookSignature.verify(SECRET, TIMESTAMP, BODY, null), "no header");
    }
}
