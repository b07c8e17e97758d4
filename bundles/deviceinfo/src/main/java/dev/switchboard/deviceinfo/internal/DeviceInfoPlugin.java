package dev.switchboard.deviceinfo.internal;

import java.lang.management.ManagementFactory;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.Option;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.management.OperatingSystemMXBean;

import dev.switchboard.api.config.Settings;
import dev.switchboard.api.jsonrpc.ErrorCode;
import dev.switchboard.api.jsonrpc.JsonRpcException;
import dev.switchboard.api.plugin.Plugin;
import dev.switchboard.api.plugin.PluginConstants;
import dev.switchboard.rpc.metrics.MethodMetrics;
import dev.switchboard.rpc.metrics.RpcLinks;
import dev.switchboard.rpc.metrics.RpcMetrics;

/** Thunder's DeviceInfo: system information and network addresses of the host. */
@Component(service = Plugin.class, configurationPid = "dev.switchboard.deviceinfo",
        configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = DeviceInfoPlugin.Config.class, factory = true)
public class DeviceInfoPlugin implements Plugin, JDeviceInfo {

    @ObjectClassDefinition(name = "Switchboard DeviceInfo plugin")
    public @interface Config {
        String callsign();

        @AttributeDefinition(options = { @Option(value = "Activated"), @Option(value = "Deactivated"),
            @Option(value = "Unavailable") })
        String startmode() default "Activated";
    }

    private static final Logger LOG = LoggerFactory.getLogger(DeviceInfoPlugin.class);

    private SystemInfoReader reader;
    private DeviceIdentity identity;
    private String firmware;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RpcLinks links;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile RpcMetrics metrics;

    /** Takes no setting of its own: a key other than callsign and startmode is most likely misspelt, and said so. */
    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        new Settings(String.valueOf(properties.get(Constants.SERVICE_PID)), properties)
                .unknownKeyWarnings(Config.class).forEach(LOG::warn);
        reader = new SystemInfoReader(context.getBundle().getVersion().toString(),
                ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class), ManagementFactory.getRuntimeMXBean(),
                Clock.systemUTC(), Path.of("/proc"));
        identity = new DeviceIdentity(Path.of("/sys/class/dmi/id"));
        // the launcher names the distribution's version; elsewhere (Karaf) this bundle's is the host's
        String version = context.getProperty("switchboard.version");
        firmware = "switchboard-" + (version == null ? context.getBundle().getVersion().toString() : version);
        LOG.debug("DeviceInfo plugin {} activated", properties.get(PluginConstants.CALLSIGN));
    }

    @Override
    public SystemInfo systeminfo() {
        return reader.read();
    }

    @Override
    public Identity deviceinfo() {
        return identity.read(reader.read().devicename(), System.getProperty("os.name"));
    }

    @Override
    public SocketInfo socketinfo() {
        RpcLinks current = links;
        RpcMetrics answered = metrics;
        if (current == null || answered == null) {
            throw new JsonRpcException(ErrorCode.SERVICE_NOT_ACTIVE.code(), ErrorCode.SERVICE_NOT_ACTIVE.message(),
                    "no JSON-RPC transport runs");
        }
        return new SocketInfo(current.accepted(), current.links().size(),
                answered.snapshot().stream().mapToLong(MethodMetrics::requests).sum());
    }

    @Override
    public FirmwareVersion firmwareversion() {
        return new FirmwareVersion(firmware);
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
