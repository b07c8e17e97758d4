package dev.switchboard.deviceinfo.internal;

import java.lang.management.ManagementFactory;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.OperatingSystemMXBean;

import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.Plugin;

/** Thunder's DeviceInfo: system information and network addresses of the host. */
@Component(service = Plugin.class, configurationPid = "dev.switchboard.deviceinfo",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = DeviceInfoPlugin.Config.class, factory = true)
public class DeviceInfoPlugin implements Plugin, JDeviceInfo {

    @ObjectClassDefinition(name = "Switchboard DeviceInfo plugin")
    public @interface Config {
        String callsign();

        String startmode() default "Activated";
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeviceInfoPlugin.class);

    private SystemInfoReader reader;

    @Activate
    void activate(BundleContext context, Config config) {
        reader = new SystemInfoReader(context.getBundle().getVersion().toString(),
                ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class), ManagementFactory.getRuntimeMXBean(),
                Clock.systemUTC(), Path.of("/proc"));
        LOG.debug("DeviceInfo plugin {} activated", config.callsign());
    }

    @Override
    public SystemInfo systeminfo() {
        return reader.read();
    }

    @Override
    public List<Address> addresses() {
        try {
            return Addresses.read();
        } catch (SocketException e) {
            LOG.warn("Cannot list the network interfaces", e);
            throw new JsonRpcException(ErrorCode.INTERNAL_ERROR);
        }
    }
}
