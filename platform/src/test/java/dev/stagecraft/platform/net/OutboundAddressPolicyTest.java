package dev.stagecraft.platform.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which destinations outbound requests may reach: every range that must be refused, and public ones that must not. */
class OutboundAddressPolicyTest {
    static final AtomicInteger TRIED = new AtomicInteger();
    static final AtomicInteger WRONG = new AtomicInteger();

    @ParameterizedTest(name = "{0} public={1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1            | false
            127.255.255.254      | false
            0.0.0.0              | false
            0.1.2.3              | false
            10.0.0.1             | false
            10.255.255.255       | false
            172.16.0.1           | false
            172.31.255.255       | false
            192.168.1.1          | false
            100.64.0.1           | false
            169.254.169.254      | false
            169.254.0.1          | false
            192.0.0.8            | false
            224.0.0.1            | false
            239.255.255.250      | false
            240.0.0.1            | false
            255.255.255.255      | false
            ::                   | false
            ::1                  | false
            fe80::1              | false
            febf::1              | false
            fec0::1              | false
            fc00::1              | false
            fd12:3456::1         | false
            ff02::1              | false
            ::ffff:127.0.0.1     | false
            ::ffff:169.254.169.254 | false
            ::ffff:10.0.0.1      | false
            ::127.0.0.1          | false
            64:ff9b::a00:1       | false
            64:ff9b::7f00:1      | false
            2002:7f00:1::        | false
            2002:a9fe:a9fe::1    | false
            8.8.8.8              | true
            1.1.1.1              | true
            172.15.255.255       | true
            172.32.0.1           | true
            100.63.255.255       | true
            100.128.0.1          | true
            169.253.255.255      | true
            11.0.0.1             | true
            192.169.0.1          | true
            223.255.255.255      | true
            2606:4700:4700::1111 | true
            2001:4860:4860::8888 | true
            64:ff9b::808:808     | true
            2002:808:808::       | true
            ::ffff:8.8.8.8       | true
            """)
    void judgesAddresses(String address, boolean expectedPublic) throws Exception {
        boolean actual = OutboundAddressPolicy.isPublic(InetAddress.getByName(address)); // literals: no lookup
        count(expectedPublic, actual);
        assertEquals(expectedPublic, actual, address + ": " + OutboundAddressPolicy.refusal(InetAddress.getByName(address)));
    }

    @ParameterizedTest(name = "{0} ambiguous={1}")
    @CsvSource(delimiter = '|', textBlock = """
            2130706433           | true
            0177.0.0.1           | true
            0x7f.0.0.1           | true
            0x7f000001           | true
            127.1                | true
            127.0.1              | true
            017700000001         | true
            127.000.000.001      | true
            10.0.0.01            | true
            1.2.3.4.5            | true
            256.1.1.1            | true
            example.123          | true
            127.0.0.1            | false
            8.8.8.8              | false
            example.com          | false
            localhost            | false
            host1.example.com    | false
            [::1]                | false
            1.2.3.4.example.com  | false
            """)
    void refusesNumericHostsOtherThanDottedQuads(String host, boolean ambiguous) {
        boolean actual = OutboundAddressPolicy.isAmbiguousNumericHost(host);
        count(!ambiguous, !actual);
        assertEquals(ambiguous, actual, host);
    }

    private static void count(boolean expectedAllowed, boolean allowed) {
        TRIED.incrementAndGet();
        if (allowed && !expectedAllowed) {
            WRONG.incrementAndGet();
        }
    }

    @AfterAll
    static void report() {
        System.out.printf("address policy: %d cases, %d accepted wrongly%n", TRIED.get(), WRONG.get());
    }
}
