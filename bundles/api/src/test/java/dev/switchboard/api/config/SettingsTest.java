package dev.switchboard.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SettingsTest {

    enum Mode { MANAGED, ATTACH }

    @interface Config {
        boolean enforce();

        int maxRequestBytes();

        String my_key();
    }

    @Test
    void aBooleanThatIsNotTrueOrFalseKeepsTheSafeValueAndIsReported() {
        Settings settings = new Settings("dev.switchboard.rpc", Map.of("enforce", "maybe"));

        assertThat(settings.flag("enforce", true)).isTrue();
        assertThat(settings.rejections()).containsExactly(
                "Configuration dev.switchboard.rpc: enforce = \"maybe\" is not true or false; keeping true");
    }

    @Test
    void booleansAreTakenAsWrittenInAnyCase() {
        Settings settings = new Settings("p", Map.of("a", "FALSE", "b", Boolean.TRUE, "c", " true "));

        assertThat(settings.flag("a", true)).isFalse();
        assertThat(settings.flag("b", false)).isTrue();
        assertThat(settings.flag("c", false)).isTrue();
        assertThat(settings.flag("missing", true)).isTrue();
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void aNumberOutOfRangeWrongOrEmptyKeepsThePreviousValue() {
        Settings settings = new Settings("p", Map.of("low", -5, "text", "lots", "empty", " ", "fraction", 1.5,
                "high", "99999999999"));

        assertThat(settings.integer("low", "1", "100", 7)).isEqualTo(7);
        assertThat(settings.integer("text", "1", "100", 8)).isEqualTo(8);
        assertThat(settings.integer("empty", "1", "100", 9)).isEqualTo(9);
        assertThat(settings.integer("fraction", "1", "100", 10)).isEqualTo(10);
        assertThat(settings.longInteger("high", "1", "100", 11)).isEqualTo(11);
        assertThat(settings.rejections()).containsExactly(
                "Configuration p: low = \"-5\" is outside 1..100; keeping 7",
                "Configuration p: text = \"lots\" is not a whole number; keeping 8",
                "Configuration p: empty = \" \" is empty; keeping 9",
                "Configuration p: fraction = \"1.5\" is not a whole number; keeping 10",
                "Configuration p: high = \"99999999999\" is outside 1..100; keeping 11");
    }

    @Test
    void numbersInRangeAreTakenFromNumbersAndText() {
        Settings settings = new Settings("p", Map.of("n", 42L, "t", " 100 ", "edge", "1"));

        assertThat(settings.integer("n", "1", "100", 0)).isEqualTo(42);
        assertThat(settings.integer("t", "1", "100", 0)).isEqualTo(100);
        assertThat(settings.integer("edge", "1", "100", 0)).isEqualTo(1);
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void textAndChoicesRefuseBlankAndUnknownValues() {
        Settings settings = new Settings("p", Map.of("blank", "", "mode", "Attach", "bad", "bridge"));

        assertThat(settings.text("blank", "kept")).isEqualTo("kept");
        assertThat(settings.choice("mode", Mode.class, Mode.MANAGED)).isEqualTo(Mode.ATTACH);
        assertThat(settings.choice("bad", Mode.class, Mode.MANAGED)).isEqualTo(Mode.MANAGED);
        assertThat(settings.rejections()).hasSize(2);
        assertThat(settings.rejections().get(1)).contains("bad = \"bridge\" is not one of [MANAGED, ATTACH]");
    }

    @Test
    void unknownKeysAreTheOnesNeitherTheConfigNorTheFrameworkDeclares() {
        Settings settings = new Settings("p", Map.of("enforce", "true", "enforec", "false", "my.key", "x",
                "service.pid", "p~a", "callsign", "A", ".hidden", "x", "officer.target", "(x=y)",
                "org.apache.karaf.features.configKey", "p-a", "osgi.http.whiteboard.servlet.pattern", "/jsonrpc"));

        assertThat(settings.unknownKeys(Config.class)).containsExactly("enforec");
        assertThat(settings.unknownKeyWarnings(Config.class))
                .containsExactly("Configuration p: unknown key \"enforec\" is ignored");
    }

    @Test
    void annotationElementsMapToPropertyNamesAsDeclarativeServicesDoes() {
        assertThat(Settings.propertyName("my_key")).isEqualTo("my.key");
        assertThat(Settings.propertyName("my__key")).isEqualTo("my_key");
        assertThat(Settings.propertyName("my$_$key")).isEqualTo("my-key");
        assertThat(Settings.propertyName("my$$key")).isEqualTo("my$key");
        assertThat(Settings.propertyName("$key")).isEqualTo("key");
    }

    @Test
    void aComponentActivatedAnewKeepsTheValueItAcceptedBeforeWhenTheNewOneIsRefused() {
        AcceptedValues accepted = new AcceptedValues();
        new Settings("p", Map.of("lifetime", "3600", "mode", "attach", "name", "Box"), accepted)
                .longInteger("lifetime", "1", "86400", 86400);
        Settings first = new Settings("p", Map.of("lifetime", "3600", "mode", "attach", "name", "Box"), accepted);
        first.choice("mode", Mode.class, Mode.MANAGED);
        first.text("name", "Default");

        Settings mistyped = new Settings("p", Map.of("lifetime", "36OO", "mode", "bridge", "name", " "), accepted);

        assertThat(mistyped.longInteger("lifetime", "1", "86400", 86400)).isEqualTo(3600);
        assertThat(mistyped.choice("mode", Mode.class, Mode.MANAGED)).isEqualTo(Mode.ATTACH);
        assertThat(mistyped.text("name", "Default")).isEqualTo("Box");
        assertThat(mistyped.rejections().get(0)).endsWith("keeping 3600");
        assertThat(new Settings("other", Map.of("lifetime", "0"), accepted).longInteger("lifetime", "1", "86400", 86400))
                .isEqualTo(86400);
    }

    @Test
    void aSettingTakenOutReturnsToItsDefaultAndAFlagAlwaysFallsBackToTheSafeValue() {
        AcceptedValues accepted = new AcceptedValues();
        new Settings("p", Map.of("limit", 5, "enforce", "false"), accepted).integer("limit", "1", "9", 7);
        new Settings("p", Map.of(), accepted).integer("limit", "1", "9", 7);
        Settings later = new Settings("p", Map.of("limit", "x", "enforce", "maybe"), accepted);

        assertThat(later.integer("limit", "1", "9", 7)).isEqualTo(7);
        assertThat(later.flag("enforce", true)).isTrue();
    }

    @Test
    void aListIsTakenFromAnArrayACollectionOrCommaSeparatedText() {
        Settings settings = new Settings("p", Map.of("a", new String[] {"X.1.y", " Z.w "}, "b", List.of("X.y"),
                "c", "X.1.y, Z.w,", "d", " "));

        assertThat(settings.texts("a", e -> e.contains("."), "a designator", List.of("safe"))).containsExactly("X.1.y", "Z.w");
        assertThat(settings.texts("b", e -> e.contains("."), "a designator", List.of("safe"))).containsExactly("X.y");
        assertThat(settings.texts("c", e -> e.contains("."), "a designator", List.of("safe"))).containsExactly("X.1.y", "Z.w");
        assertThat(settings.texts("d", e -> e.contains("."), "a designator", List.of("safe"))).isEmpty();
        assertThat(settings.texts("missing", e -> true, "anything", List.of("safe"))).containsExactly("safe");
        assertThat(settings.rejections()).isEmpty();
    }

    @Test
    void aListWithOneBadEntryKeepsTheSafeListWholeAndIsReported() {
        Settings settings = new Settings("p", Map.of("open", new String[] {"X.1.y", "nonsense"}, "n", 5));

        assertThat(settings.texts("open", e -> e.contains("."), "Callsign[.version].method", List.of("X.1.y")))
                .containsExactly("X.1.y");
        assertThat(settings.texts("n", e -> true, "anything", List.of())).isEmpty();
        assertThat(settings.rejections()).containsExactly(
                "Configuration p: open = \"[X.1.y, nonsense]\" has \"nonsense\", which is not Callsign[.version].method;"
                        + " keeping [X.1.y]",
                "Configuration p: n = \"5\" is not a list of texts; keeping []");
    }
}
