package dev.stagecraft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulatedAddressesTest {

    @ParameterizedTest
    @CsvSource({"127.0.0.2, true", "127.0.0.255, true", "127.0.0.1, true", "127.0.0.0, false", "127.0.1.2, false",
            "10.0.0.2, false", "localhost, false", "127.0.0.256, false"})
    void onlyAHostOn127_0_0_NGetsARange(String host, boolean accepted) {
        assertEquals(accepted, SimulatedAddresses.forHost(host).isPresent());
    }

    @Test
    void addressesAreTakenInOrderAcrossTheThirdOctetAndReusedOnceForgotten() {
        SimulatedAddresses addresses = SimulatedAddresses.forHost("127.0.0.3").orElseThrow();
        assertEquals(Optional.of("127.3.0.1"), addresses.take());
        for (int i = 2; i < 255; i++) {
            addresses.take();
        }
        assertEquals(Optional.of("127.3.0.255"), addresses.take());
        assertEquals(Optional.of("127.3.1.0"), addresses.take());
        addresses.release("127.3.0.7");
        addresses.release("127.4.0.8");
        addresses.release("127.0.0.3");
        assertEquals(Optional.of("127.3.0.7"), addresses.take());
        assertEquals(Optional.of("127.3.1.1"), addresses.take());
        assertEquals(257, addresses.inUse());
        assertTrue(addresses.isOurs("127.3.1.1"));
        assertFalse(addresses.isOurs("127.3.256.1"));
    }

    @Test
    void aFullRangeSaysSo() {
        SimulatedAddresses addresses = SimulatedAddresses.forHost("127.0.0.9").orElseThrow();
        for (int i = 0; i < SimulatedAddresses.CAPACITY; i++) {
            assertTrue(addresses.take().isPresent());
        }
        assertEquals(Optional.empty(), addresses.take());
        assertEquals("127.9.255.254", lastTaken(addresses));
    }

    private static String lastTaken(SimulatedAddresses addresses) {
        addresses.release("127.9.255.254");
        return addresses.take().orElseThrow();
    }
}
