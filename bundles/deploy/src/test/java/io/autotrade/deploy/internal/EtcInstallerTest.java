package io.autotrade.deploy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import org.junit.jupiter.api.Test;

class EtcInstallerTest {
    @Test
    void fileNamesGivePidsTheWayFileInstallNamesThem() {
        assertEquals("io.autotrade.manager.risk", EtcInstaller.pid(new File("etc/io.autotrade.manager.risk.cfg")));
        assertEquals("io.autotrade.strategy.rsi~btc", EtcInstaller.pid(new File("etc/io.autotrade.strategy.rsi-btc.cfg")));
        assertEquals("io.autotrade.strategy.rsi~krw-btc", EtcInstaller.pid(new File("io.autotrade.strategy.rsi-krw-btc.cfg")));
        assertEquals("io.autotrade.strategy.macross~eth", EtcInstaller.pid(new File("io.autotrade.strategy.macross~eth.cfg")));
    }

    @Test
    void canWaitFalseRefusesInsteadOfHoldingAndIsNotAProperty() {
        java.util.Map<String, String> props = new java.util.HashMap<>(java.util.Map.of("can.wait", " FALSE ", "period", "7"));
        assertEquals(io.autotrade.api.config.ConfigGate.Mode.NO_WAIT, EtcInstaller.mode(props));
        assertEquals(java.util.Map.of("period", "7"), props);
        assertEquals(io.autotrade.api.config.ConfigGate.Mode.WAIT, EtcInstaller.mode(new java.util.HashMap<>(java.util.Map.of("period", "7"))));
    }

    @Test
    void aKeyIsFoundOnItsLineWhateverTheSeparator() {
        java.util.List<String> lines = java.util.List.of("# a comment", "market = KRW-BTC", "  period:7", "periodic 3",
                "oversold");
        assertEquals(2, EtcInstaller.lineOf(lines, "market"));
        assertEquals(3, EtcInstaller.lineOf(lines, "period"), "period, not the periodic line below it");
        assertEquals(5, EtcInstaller.lineOf(lines, "oversold"));
        assertEquals(0, EtcInstaller.lineOf(lines, "overbought"));
    }
}
