package dev.switchboard.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class ConfigurationFilesTest {

    @Test
    void aConfigurationIsWrittenAsPropertiesThatReadBackTheSameWithoutFrameworkKeys() throws Exception {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("callsign", "Copy");
        properties.put("startmode", "Activated");
        properties.put(Clones.CLONED_FROM, "Fixture");
        properties.put("greeting", " héllo = \"world\"\n#not a comment");
        properties.put("openMethods", new String[] {"Controller.1.exists", "Fixture.echo"});
        properties.put("port", 8080L);
        properties.put("key:with=odd chars", true);
        properties.put("service.pid", "dev.switchboard.fixture~Copy");
        properties.put("service.factoryPid", "dev.switchboard.fixture");
        properties.put("felix.fileinstall.filename", "file:/etc/x.cfg");

        String text = ConfigurationFiles.format(properties);
        Properties read = new Properties();
        read.load(new StringReader(text));

        assertThat(read).containsOnlyKeys("callsign", "startmode", Clones.CLONED_FROM, "greeting", "openMethods", "port",
                "key:with=odd chars");
        assertThat(read.getProperty("greeting")).isEqualTo(" héllo = \"world\"\n#not a comment");
        assertThat(read.getProperty("openMethods")).isEqualTo("Controller.1.exists,Fixture.echo");
        assertThat(read.getProperty("port")).isEqualTo("8080");
        assertThat(read.getProperty("key:with=odd chars")).isEqualTo("true");
        assertThat(text).isEqualTo(text.chars().allMatch(c -> c < 128) ? text : "ASCII only");
    }
}
